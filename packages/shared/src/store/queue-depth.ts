import type { RedisConnection } from '../redis/redis-target';
import type { NamespaceKeys } from './keys';
import { QueueSet } from './queue-set';

/** The BullMQ job states whose counts {@link QueueDepthReader} reads, as BullMQ names them. */
export const QUEUE_JOB_STATES = ['waiting', 'active', 'delayed', 'failed', 'completed', 'paused', 'prioritized'] as const;

/** One of {@link QUEUE_JOB_STATES}. */
export type QueueJobState = (typeof QUEUE_JOB_STATES)[number];

/** How many jobs one BullMQ queue holds in each state. */
export type QueueDepth = { readonly name: string } & { readonly [state in QueueJobState]: number };

/**
 * Reads the job counts of every queue schedules of a namespace have used (the queue names the
 * schedule scripts keep in a set), with BullMQ's `getJobCounts`. Its cost grows with the number of
 * queues, not with jobs or schedules. The `Queue` objects it opens share the given connection and
 * are kept for the next read until {@link close}.
 */
export class QueueDepthReader {
  private readonly queues: QueueSet;

  constructor(
    private readonly redis: RedisConnection,
    private readonly keys: NamespaceKeys,
  ) {
    this.queues = new QueueSet(redis, keys);
  }

  /** The job counts of each known queue, by queue name. */
  async read(): Promise<QueueDepth[]> {
    const names = (await this.redis.smembers(this.keys.queues)).sort();
    return Promise.all(
      names.map(async (name) => {
        const counts = await this.queues.get(name).getJobCounts(...QUEUE_JOB_STATES);
        const depth: Record<string, number | string> = { name };
        for (const state of QUEUE_JOB_STATES) depth[state] = counts[state] ?? 0;
        return depth as QueueDepth;
      }),
    );
  }

  /** Closes the `Queue` objects (not the shared connection). */
  close(): Promise<void> {
    return this.queues.close();
  }
}
