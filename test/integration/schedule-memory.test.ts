import { SundialClient, redisTimeMs, type NamespaceKeys } from '@sundial/shared';
import { Redis } from 'ioredis';
import { writeLegacySchedule } from '../helpers/legacy-schedule';
import { closeClient } from '../support/redis-client';
import { startRedisServer, type RedisServer } from '../support/redis-server';

// A Redis of its own with the default configuration: the shared test server's settings are not
// what this test is about.

jest.setTimeout(60_000);

/** The small schedule the `scale` benchmark creates by the million. */
const benchLike = (id: string) => ({ id, task: 'bench-noop', trigger: { cron: '0 0 1 1 *' } });
/** Redis bytes of one bench-like schedule's hash and definition (about 580 measured): a regression guard. */
const MAX_SCHEDULE_BYTES = 700;

let server: RedisServer;
let redis: Redis;
let client: SundialClient;
let keys: NamespaceKeys;

beforeAll(async () => {
  server = await startRedisServer();
  redis = new Redis(server.url);
  client = new SundialClient({ connection: redis, namespace: 'memory' });
  keys = client.keys;
});

afterAll(async () => {
  await client.close();
  await closeClient(redis);
  await server.stop();
});

afterEach(async () => {
  await redis.flushall();
});

async function encodingOf(key: string): Promise<string | null> {
  return (await redis.call('OBJECT', 'ENCODING', key)) as string | null;
}

async function memoryOf(id: string): Promise<number> {
  const [hash, definition] = await Promise.all([redis.memory('USAGE', keys.schedule(id), 'SAMPLES', 0), redis.memory('USAGE', keys.definition(id), 'SAMPLES', 0)]);
  return Number(hash) + Number(definition);
}

/** Checks that `id` is stored as a compact state hash plus a definition key holding its spec. */
async function expectCompactLayout(id: string): Promise<void> {
  const { state, ...spec } = await client.get(id);
  expect(state.version).toBeGreaterThan(0);
  expect(await encodingOf(keys.schedule(id))).toBe('listpack');
  expect(await redis.hexists(keys.schedule(id), 'spec')).toBe(0);
  expect(JSON.parse((await redis.get(keys.definition(id))) ?? 'null')).toEqual(spec);
}

describe('the Redis layout of a schedule, on a Redis with the default configuration', () => {
  it('runs on a Redis whose hashes stay listpacks only with values up to 64 bytes', async () => {
    expect(await redis.config('GET', 'hash-max-listpack-value')).toEqual(['hash-max-listpack-value', '64']);
  });

  it('add keeps the state hash a listpack and the definition in its own key', async () => {
    await client.add(benchLike('single'));
    await expectCompactLayout('single');
    expect(await memoryOf('single')).toBeLessThan(MAX_SCHEDULE_BYTES);
  });

  it('addMany does the same for every schedule, pipelined ones included', async () => {
    const ids = ['bulk-0', 'bulk-1', 'bulk-2', 'bulk-3'];
    await client.addMany(ids.map(benchLike), { batchSize: 2 });
    for (const id of ids) {
      await expectCompactLayout(id);
      expect(await memoryOf(id)).toBeLessThan(MAX_SCHEDULE_BYTES);
    }
  });

  it('update, pause and resume keep it compact', async () => {
    await client.add({ ...benchLike('changed'), data: { note: 'x'.repeat(200) } });
    await client.update('changed', { trigger: { every: '1h' }, labels: { team: 'reports' } });
    await expectCompactLayout('changed');
    await client.pause('changed');
    await expectCompactLayout('changed');
    await client.resume('changed');
    await expectCompactLayout('changed');
    expect((await client.get('changed')).labels).toEqual({ team: 'reports' });
  });

  it('a change rewrites a hash of the older layout as a listpack', async () => {
    await writeLegacySchedule(redis, keys, benchLike('legacy'), await redisTimeMs(redis));
    expect(await encodingOf(keys.schedule('legacy'))).toBe('hashtable');
    await client.pause('legacy');
    await expectCompactLayout('legacy');
    expect((await client.get('legacy')).state).toMatchObject({ paused: true, version: 2 });
  });

  it('remove deletes the definition with the hash', async () => {
    await client.add(benchLike('gone'));
    await client.remove('gone');
    expect(await redis.exists(keys.schedule('gone'), keys.definition('gone'))).toBe(0);
  });
});
