import type { Redis } from 'ioredis';
import { deleteNamespace, testRedisUrl, uniqueNamespace } from '../../../../test/support/namespace';
import { closeClient } from '../../../../test/support/redis-client';
import { rejectionOf } from '../../../../test/support/errors';
import { connectRedis } from '../redis/connection';
import { namespaceKeys, type NamespaceKeys } from '../store/keys';
import { RunReader } from './run-reader';

// Run records written as the Lua scripts write them, in a real Redis, read with filters.

describe('RunReader filters', () => {
  let redis: Redis;
  let namespace: string;
  let keys: NamespaceKeys;
  let reader: RunReader;

  /** Records a final run of `scheduleId` at `fireTime` ms; `task` left out as on records written before runs kept it. */
  async function record(scheduleId: string, fireTime: number, status: string, task?: string): Promise<void> {
    const runId = `${scheduleId}@${fireTime}`;
    const fields: Record<string, string | number> = { runId, scheduleId, kind: 'scheduled', queue: 'default', fireTime, fireAt: fireTime, status, reason: '', createdAt: fireTime, updatedAt: fireTime };
    if (task !== undefined) fields.task = task;
    await redis.multi().hset(keys.run(runId), fields).zadd(keys.runs, fireTime, runId).zadd(keys.scheduleRuns(scheduleId), fireTime, runId).exec();
  }

  beforeAll(async () => {
    redis = await connectRedis(testRedisUrl(), { connectionName: 'sundial:test-run-reader' });
    namespace = uniqueNamespace('run-reader');
    keys = namespaceKeys(namespace);
    reader = new RunReader(redis, keys);
    // The newest 500 runs are skipped runs of "sync"; older than them, 40 succeeded runs of "report".
    for (let i = 0; i < 40; i++) await record('report', 1_000 + i, 'succeeded', 'report');
    const pipeline = redis.pipeline();
    for (let i = 0; i < 500; i++) {
      const runId = `sync@${10_000 + i}`;
      pipeline.hset(keys.run(runId), { runId, scheduleId: 'sync', kind: 'scheduled', queue: 'default', fireTime: 10_000 + i, fireAt: 10_000 + i, status: 'skipped', reason: 'overlap', createdAt: 1, updatedAt: 1 });
      pipeline.zadd(keys.runs, 10_000 + i, runId);
    }
    await pipeline.exec();
    await redis.hset(keys.schedule('sync'), 'version', 1);
    await redis.set(keys.definition('sync'), JSON.stringify({ id: 'sync', task: 'sync-task' }));
    // A schedule of the older layout: its definition in its hash.
    await record('legacy', 20_000, 'skipped');
    await record('legacy', 20_001, 'skipped');
    await redis.hset(keys.schedule('legacy'), 'version', 1, 'spec', JSON.stringify({ id: 'legacy', task: 'legacy-task' }));
  });

  afterAll(async () => {
    await reader.close();
    await deleteNamespace(redis, namespace);
    await closeClient(redis);
  });

  it('fills the limit with matching runs, reading past the ones filtered out', async () => {
    const runs = await reader.list({ status: 'succeeded', limit: 30 });
    expect(runs).toHaveLength(30);
    expect(runs.map((run) => run.runId)).toEqual(Array.from({ length: 30 }, (_, i) => `report@${1_039 - i}`));
    expect(await reader.list({ task: 'report', limit: 1_000 })).toHaveLength(40);
  });

  it('takes the task of a run recorded without one from its schedule', async () => {
    const runs = await reader.list({ task: 'sync-task', status: 'skipped', limit: 3 });
    expect(runs.map((run) => run.runId)).toEqual(['sync@10499', 'sync@10498', 'sync@10497']);
    expect(await reader.list({ task: 'sync-task', status: 'succeeded' })).toEqual([]);
  });

  it('takes it from the hash of a schedule of the older layout', async () => {
    expect((await reader.list({ task: 'legacy-task' })).map((run) => run.runId)).toEqual(['legacy@20001', 'legacy@20000']);
  });

  it('rejects an unknown status, naming it', async () => {
    await expect(rejectionOf(reader.list({ status: 'done' as never }))).resolves.toMatchObject({ field: 'status' });
  });
});
