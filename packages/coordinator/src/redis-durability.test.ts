import { Redis } from 'ioredis';
import { killAllSpawned } from '../../../test/support/processes';
import { closeClient } from '../../../test/support/redis-client';
import { startRedisServer, type RedisServer } from '../../../test/support/redis-server';
import { checkRedisDurability } from './redis-durability';
import { parseRedisInfo } from './redis-info';

describe('parseRedisInfo', () => {
  it('reads fields and skips headers and blank lines', () => {
    const info = parseRedisInfo('# Persistence\r\nloading:0\r\naof_enabled:1\r\n\r\n# Memory\r\nmaxmemory_policy:noeviction\r\nodd:a:b\r\n');
    expect([...info]).toEqual([
      ['loading', '0'],
      ['aof_enabled', '1'],
      ['maxmemory_policy', 'noeviction'],
      ['odd', 'a:b'],
    ]);
  });
});

describe('checkRedisDurability', () => {
  const servers: RedisServer[] = [];
  const clients: Redis[] = [];

  async function warningsFor(server: RedisServer): Promise<string[]> {
    const redis = new Redis(server.url, { lazyConnect: true, retryStrategy: () => null });
    clients.push(redis);
    await redis.connect();
    return checkRedisDurability(redis);
  }

  let noPersistence: RedisServer;
  let durable: RedisServer;
  let evicting: RedisServer;
  let snapshotsOnly: RedisServer;
  let noConfig: RedisServer;

  beforeAll(async () => {
    const started = await Promise.all([
      startRedisServer({ appendonly: false }),
      startRedisServer({ appendonly: true, extraArgs: ['--maxmemory-policy', 'noeviction'] }),
      startRedisServer({ appendonly: true, extraArgs: ['--maxmemory-policy', 'allkeys-lru'] }),
      startRedisServer({ appendonly: false, extraArgs: ['--save', '3600 1'] }),
      // Like managed services that disable CONFIG.
      startRedisServer({ appendonly: false, extraArgs: ['--rename-command', 'CONFIG', ''] }),
    ]);
    servers.push(...started);
    [noPersistence, durable, evicting, snapshotsOnly, noConfig] = started as [RedisServer, RedisServer, RedisServer, RedisServer, RedisServer];
  });

  afterAll(async () => {
    await Promise.all(clients.map(closeClient));
    await Promise.all(servers.map((server) => server.stop()));
    await killAllSpawned();
  });

  it('warns when Redis has neither an append-only file nor RDB save points', async () => {
    const warnings = await warningsFor(noPersistence);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/persistence is off/);
    expect(warnings[0]).toMatch(/restart loses every schedule/);
    expect(warnings[0]).toMatch(/appendonly yes/);
  });

  it('says nothing when the append-only file is on and nothing is evicted', async () => {
    expect(await warningsFor(durable)).toEqual([]);
  });

  it('warns when Redis may evict keys', async () => {
    const warnings = await warningsFor(evicting);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/maxmemory-policy allkeys-lru/);
    expect(warnings[0]).toMatch(/maxmemory-policy noeviction/);
  });

  it('warns, more mildly, when Redis keeps only RDB snapshots', async () => {
    const warnings = await warningsFor(snapshotsOnly);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^Redis keeps only RDB snapshots \(appendonly no, save "3600 1"\): a crash loses every change since the last snapshot/);
  });

  it('warns, without failing, when CONFIG is forbidden and the append-only file is off', async () => {
    const warnings = await warningsFor(noConfig);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/could not read its RDB snapshot settings/);
    expect(warnings[0]).toMatch(/unknown command/);
  });
});
