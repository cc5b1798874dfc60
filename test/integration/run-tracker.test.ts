import { RunTracker, SundialClient, namespaceKeys } from '@sundial/shared';
import { Redis } from 'ioredis';
import { closeClient } from '../support/redis-client';
import { deleteNamespace, testRedisUrl, uniqueNamespace } from '../support/namespace';

let redis: Redis;
let namespace: string;

beforeEach(() => {
  namespace = uniqueNamespace('tracker');
  redis = new Redis(testRedisUrl());
});

afterEach(async () => {
  await deleteNamespace(redis, namespace);
  await closeClient(redis);
});

describe('RunTracker', () => {
  it('records attempts, clears the retry note on success, keeps an unserializable result as a note, and refuses a finished run', async () => {
    const keys = namespaceKeys(namespace);
    const runId = 'job@1000';
    await redis.hset(keys.run(runId), { runId, scheduleId: 'job', kind: 'scheduled', queue: 'default', fireTime: '1000', fireAt: '1000', status: 'enqueued', count: '1', createdAt: '1', updatedAt: '1' });
    const tracker = new RunTracker(redis, keys, { workerId: 'w1', eventsMaxLength: 100 });
    const client = new SundialClient({ connection: redis, namespace });

    expect(await tracker.start(runId, 1, 2_000)).toBe(true);
    await tracker.failed(runId, 1, 2_100, 'Error: boom', 100, true);
    expect(await client.getRun(runId)).toMatchObject({ status: 'enqueued', reason: 'retrying', attempts: 1, error: 'Error: boom' });
    expect(await tracker.start(runId, 2, 3_000)).toBe(true);
    await tracker.succeeded(runId, 2, 3_100, { big: 1n }, 100);
    expect(await client.getRun(runId)).toMatchObject({ status: 'succeeded', reason: null, attempts: 2, error: null, worker: 'w1', durationMs: 100 });
    expect((await client.getRun(runId)).result).toMatchObject({ unserializable: true });
    // A duplicate job of the finished run, or one that stalled after its success was recorded.
    expect(await tracker.start(runId, 3, 4_000)).toBe(false);
    expect(await tracker.start(runId, 1, 4_000)).toBe(false);
    const events = await redis.xrange(keys.events, '-', '+');
    expect(events.map(([, fields]) => fields[1])).toEqual(['run.started', 'run.retrying', 'run.started', 'run.succeeded']);
    await client.close();
  });
});
