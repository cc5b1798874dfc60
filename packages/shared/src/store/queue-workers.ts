import type { RedisConnection } from '../redis/redis-target';
import { liveHeartbeats, type WorkerHeartbeat } from './heartbeats';
import type { NamespaceKeys } from './keys';

/** How many live workers serve one queue. */
export interface QueueWorkers {
  readonly name: string;
  readonly workers: number;
}

/**
 * Counts the live workers serving each queue of a namespace, from the workers' heartbeats (those
 * not expired at `nowMs`). The queues are those schedules have used, which may have no worker (0),
 * and those a live worker serves. Sorted by queue name.
 */
export async function countQueueWorkers(redis: RedisConnection, keys: NamespaceKeys, nowMs: number): Promise<QueueWorkers[]> {
  const [known, beats] = await Promise.all([redis.smembers(keys.queues), redis.hgetall(keys.workers)]);
  const counts = new Map<string, number>(known.map((name) => [name, 0]));
  for (const beat of liveHeartbeats<WorkerHeartbeat>(beats, nowMs)) {
    for (const name of new Set(beat.queues)) counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return [...counts.keys()].sort().map((name) => ({ name, workers: counts.get(name) ?? 0 }));
}
