import { Redis } from 'ioredis';
import pino from 'pino';
import { SundialClient, namespaceKeys, type SundialEvent } from '@sundial/shared';
import { defineTask, startWorker } from '@sundial/worker';
import { startCoordinator, type Coordinator } from '../../packages/coordinator/src/coordinator';
import { waitFor } from '../helpers/worker-fixture';
import { deleteNamespace, testRedisUrl, uniqueNamespace } from '../support/namespace';
import { closeClient } from '../support/redis-client';

jest.setTimeout(60_000);

const silent = pino({ level: 'silent' });

describe('leader and worker events (real Redis)', () => {
  let redis: Redis;
  let namespace: string;
  let client: SundialClient;
  const running: Coordinator[] = [];

  beforeEach(() => {
    redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: null });
    namespace = uniqueNamespace('cluster-events');
    client = new SundialClient({ connection: redis, namespace });
  });

  afterEach(async () => {
    await Promise.all(running.splice(0).map((coordinator) => coordinator.stop()));
    await client.close();
    await deleteNamespace(redis, namespace);
    await closeClient(redis);
  });

  const coordinator = async (): Promise<Coordinator> => {
    const started = await startCoordinator({ connection: testRedisUrl(), namespace, leaseMs: 2_000, renewEveryMs: 300, heartbeatEveryMs: 200 }, silent);
    running.push(started);
    return started;
  };
  const recent = async (...types: SundialEvent['type'][]): Promise<SundialEvent[]> => client.events.recent(types);

  it('records leader.elected when a coordinator wins, and leader.lost (released) when it stops', async () => {
    const first = await coordinator();
    await waitFor('a leader', () => first.lease());
    const second = await coordinator();
    const [elected] = await recent('leader.elected');
    expect(elected).toMatchObject({ coordinator: first.id, epoch: first.lease()?.epoch });

    await first.stop();
    await waitFor('the standby to lead', () => second.lease());
    const events = await recent('leader.elected', 'leader.lost');
    expect(events.map((event) => [event.type, event.coordinator, event.epoch, event.reason])).toEqual([
      ['leader.elected', first.id, elected?.epoch, undefined],
      ['leader.lost', first.id, elected?.epoch, 'released'],
      ['leader.elected', second.id, (elected?.epoch ?? 0) + 1, undefined],
    ]);
  });

  it('records worker.joined when a worker starts and worker.left (stopped) when it stops', async () => {
    const task = defineTask({ name: 'noop', handler: () => undefined });
    const worker = await startWorker({ connection: testRedisUrl(), namespace, tasks: [task], logger: silent });
    expect(await recent('worker.joined')).toMatchObject([{ type: 'worker.joined', worker: worker.id }]);
    await worker.close();
    expect(await recent('worker.joined', 'worker.left')).toMatchObject([
      { type: 'worker.joined', worker: worker.id },
      { type: 'worker.left', worker: worker.id, reason: 'stopped' },
    ]);
  });

  it('removes a worker whose heartbeat expired and records worker.left (expired) once, however many coordinators run', async () => {
    const keys = namespaceKeys(namespace);
    const now = Date.now();
    const beat = (id: string, expiresAt: number) => JSON.stringify({ id, host: 'h', pid: 1, version: '0', queues: ['default'], tasks: ['t'], concurrency: 1, inFlight: 0, expiresAt });
    await redis.hset(keys.workers, 'gone', beat('gone', now - 1_000), 'alive', beat('alive', now + 600_000));
    await redis.hset(keys.coordinators, 'dead-coordinator', JSON.stringify({ id: 'dead-coordinator', expiresAt: now - 1_000 }));
    await Promise.all([coordinator(), coordinator(), coordinator()]);
    await waitFor('the expired heartbeats to go', async () => ((await redis.hexists(keys.workers, 'gone')) === 0 && (await redis.hexists(keys.coordinators, 'dead-coordinator')) === 0 ? true : undefined));
    // Several more heartbeat rounds of every coordinator.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await redis.hexists(keys.workers, 'alive')).toBe(1);
    expect(await recent('worker.left')).toMatchObject([{ type: 'worker.left', worker: 'gone', reason: 'expired' }]);
    expect(await recent('worker.left')).toHaveLength(1);
  });
});
