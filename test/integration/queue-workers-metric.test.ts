import { startCoordinator, type Coordinator } from '@sundial/coordinator';
import { SundialClient, connectRedis, namespaceKeys, redisTimeMs, type WorkerHeartbeat } from '@sundial/shared';
import { startWorker, type SundialWorker } from '@sundial/worker';
import type { Redis } from 'ioredis';
import pino from 'pino';
import { waitFor } from '../helpers/worker-fixture';
import { deleteNamespace, testRedisUrl, uniqueNamespace } from '../support/namespace';
import { closeClient } from '../support/redis-client';

// sundial_queue_workers: live workers per queue, from real workers' heartbeats, on the leader's /metrics.

jest.setTimeout(30_000);

const silent = pino({ level: 'silent' });

/** The `sundial_queue_workers` samples of a coordinator's /metrics, by queue. */
async function queueWorkers(coordinator: Coordinator): Promise<Record<string, number>> {
  const body = await (await fetch(`http://127.0.0.1:${coordinator.httpPort as number}/metrics`)).text();
  const counts: Record<string, number> = {};
  for (const [, queue, value] of body.matchAll(/^sundial_queue_workers\{queue="([^"]+)"\} (\d+)$/gm)) counts[queue as string] = Number(value);
  return counts;
}

/** Polls until the coordinator's samples equal `expected`; returns them. */
function untilQueueWorkers(coordinator: Coordinator, expected: Record<string, number>): Promise<Record<string, number>> {
  return waitFor(`sundial_queue_workers ${JSON.stringify(expected)}`, async () => {
    const counts = await queueWorkers(coordinator);
    return JSON.stringify(counts) === JSON.stringify(expected) ? counts : undefined;
  });
}

describe('sundial_queue_workers', () => {
  let admin: Redis;
  let namespace: string;
  const coordinators: Coordinator[] = [];
  const workers: SundialWorker[] = [];

  async function coordinator(): Promise<Coordinator> {
    const started = await startCoordinator({ connection: testRedisUrl(), namespace, port: 0, maxSleepMs: 100 }, silent);
    coordinators.push(started);
    return started;
  }

  async function worker(tasks: { name: string; queue?: string }[]): Promise<SundialWorker> {
    const started = await startWorker({ connection: testRedisUrl(), namespace, logger: silent, heartbeatEveryMs: 200, shutdownGraceMs: 0, tasks: tasks.map((task) => ({ ...task, handler: () => undefined })) });
    workers.push(started);
    return started;
  }

  beforeAll(async () => {
    admin = await connectRedis(testRedisUrl(), { connectionName: 'sundial:test-admin' });
  });

  beforeEach(() => {
    namespace = uniqueNamespace('queue-workers');
  });

  afterEach(async () => {
    await Promise.all(workers.splice(0).map((each) => each.close()));
    await Promise.all(coordinators.splice(0).map((each) => each.stop()));
    await deleteNamespace(admin, namespace);
  });

  afterAll(async () => {
    await closeClient(admin);
  });

  it('counts live workers per queue: 0 for a queue schedules use and no worker serves, and follows workers coming and going', async () => {
    await new SundialClient({ connection: admin, namespace }).add({ id: 'nightly', task: 'report', queue: 'reports', trigger: { every: '1h' } });
    const leader = await coordinator();
    await waitFor('a lease', () => leader.lease());
    await untilQueueWorkers(leader, { reports: 0 });

    const both = await worker([{ name: 'report', queue: 'reports' }, { name: 'mail' }]);
    await worker([{ name: 'invoice', queue: 'billing' }, { name: 'report', queue: 'reports' }]);
    // Queues a worker serves count even when no schedule has used them yet (billing, default).
    await untilQueueWorkers(leader, { billing: 1, default: 1, reports: 2 });

    await both.close();
    workers.splice(workers.indexOf(both), 1);
    // default had only that worker and no schedule: it is no longer known.
    await untilQueueWorkers(leader, { billing: 1, reports: 1 });
  });

  it('leaves out expired heartbeats, and a standby exports no samples', async () => {
    const keys = namespaceKeys(namespace);
    // The heartbeat of a worker that died without removing it: expired by Redis time.
    const dead: WorkerHeartbeat = { id: 'dead', host: 'gone', pid: 1, version: '0.0.0', queues: ['reports'], tasks: ['report'], concurrency: 1, inFlight: 0, expiresAt: (await redisTimeMs(admin)) - 1_000 };
    await admin.hset(keys.workers, 'dead', JSON.stringify(dead));
    await admin.sadd(keys.queues, 'reports');
    const leader = await coordinator();
    await waitFor('a lease', () => leader.lease());
    const standby = await coordinator();
    expect(await untilQueueWorkers(leader, { reports: 0 })).toEqual({ reports: 0 });
    await worker([{ name: 'report', queue: 'reports' }]);
    await untilQueueWorkers(leader, { reports: 1 });
    expect(await queueWorkers(standby)).toEqual({});
  });
});
