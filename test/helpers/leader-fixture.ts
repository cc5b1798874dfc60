import { Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { LeaderStore, SundialClient, namespaceKeys, redisTimeMs, type Clock, type Lease, type NamespaceKeys } from '@sundial/shared';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { Dispatcher } from '../../packages/coordinator/src/fire-loop/dispatcher';
import { FireLoop, type FireLoopOptions } from '../../packages/coordinator/src/fire-loop/fire-loop';
import { closeClient } from '../support/redis-client';
import { deleteNamespace, testRedisUrl, uniqueNamespace } from '../support/namespace';

/** A clock the test moves by hand; `uncertaintyMs` is how far ahead of the true time it may be. */
export class ManualClock implements Clock {
  uncertaintyMs = 0;

  constructor(public nowMs: number) {}

  now(): number {
    return this.nowMs;
  }

  earliestNow(): number {
    return this.nowMs - this.uncertaintyMs;
  }
}

/** A BullMQ worker whose jobs stay active until the test releases them. */
export class GatedWorker {
  readonly started: string[] = [];
  readonly completed: string[] = [];
  private readonly gates = new Map<string, () => void>();
  private readonly waiters: { predicate: () => boolean; resolve: () => void }[] = [];
  readonly worker: Worker;

  constructor(
    queue: string,
    private readonly connection: Redis,
    prefix: string,
  ) {
    this.worker = new Worker(
      queue,
      async (job: Job) => {
        this.started.push(job.id as string);
        this.notify();
        await new Promise<void>((resolve) => this.gates.set(job.id as string, resolve));
      },
      { connection, prefix, concurrency: 20 },
    );
    this.worker.on('completed', (job) => {
      this.completed.push(job.id as string);
      this.notify();
    });
  }

  release(runId: string): void {
    this.gates.get(runId)?.();
  }

  /** Resolves once `predicate` holds (checked after each job event). */
  until(predicate: () => boolean): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ predicate, resolve }));
  }

  async close(): Promise<void> {
    for (const release of this.gates.values()) release();
    await this.worker.close();
    await closeClient(this.connection);
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) {
      if (waiter.predicate()) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  }
}

/** A namespace with a client, a leader's store and fire loop on a manual clock, and a lease. */
export interface LeaderFixture {
  readonly namespace: string;
  readonly keys: NamespaceKeys;
  readonly redis: Redis;
  readonly client: SundialClient;
  readonly store: LeaderStore;
  readonly clock: ManualClock;
  readonly loop: FireLoop;
  readonly dispatcher: Dispatcher;
  lease: Lease;
  /** Takes the lease again under a new epoch, as a newly elected leader would. */
  reelect(): Promise<Lease>;
  worker(queue?: string): GatedWorker;
  close(): Promise<void>;
}

/** Sets up a `LeaderFixture` in a fresh namespace of the test Redis; `loopOptions` add to or override the fire loop's options. */
export async function leaderFixture(loopOptions: Partial<FireLoopOptions> = {}): Promise<LeaderFixture> {
  const namespace = uniqueNamespace('leader');
  const keys = namespaceKeys(namespace);
  const redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: null });
  const client = new SundialClient({ connection: redis, namespace });
  const jobRetention = { completedSeconds: 3_600, failedSeconds: 3_600 };
  const store = new LeaderStore(redis, keys, { historyLimit: 1_000, eventsMaxLength: 10_000, jobRetention });
  const clock = new ManualClock(await redisTimeMs(redis));
  const logger = pino({ level: 'silent' });
  const dispatcher = new Dispatcher(redis, store, clock, jobRetention, logger, loopOptions.lookaheadMs);
  const workers: GatedWorker[] = [];
  const take = async (): Promise<Lease> => {
    const token = randomUUID();
    await redis.set(keys.leader, token, 'PX', 60_000);
    const epoch = await store.claimEpoch(token);
    if (epoch === undefined) throw new Error('could not claim an epoch');
    return { token, epoch };
  };
  const fixture: LeaderFixture = {
    namespace,
    keys,
    redis,
    client,
    store,
    clock,
    dispatcher,
    lease: await take(),
    loop: undefined as unknown as FireLoop,
    reelect: async () => {
      fixture.lease = await take();
      return fixture.lease;
    },
    worker: (queue = 'default') => {
      const worker = new GatedWorker(queue, new Redis(testRedisUrl(), { maxRetriesPerRequest: null }), keys.bullPrefix);
      workers.push(worker);
      return worker;
    },
    close: async () => {
      await Promise.all(workers.map((worker) => worker.close()));
      await dispatcher.close();
      await client.close();
      await deleteNamespace(redis, namespace);
      await closeClient(redis);
    },
  };
  (fixture as { loop: FireLoop }).loop = new FireLoop(
    store,
    { lease: () => fixture.lease, markLost: () => undefined },
    dispatcher,
    clock,
    { batchSize: 100, maxSleepMs: 1_000, maxFiresPerTick: 10_000, cancelChannel: keys.cancelChannel, ...loopOptions },
    logger,
  );
  return fixture;
}

/** The next whole minute after `ms`. */
export function nextMinute(ms: number): number {
  return Math.floor(ms / 60_000) * 60_000 + 60_000;
}
