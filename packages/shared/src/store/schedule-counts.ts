import type { RedisConnection } from '../redis/redis-target';
import type { NamespaceKeys } from './keys';

/** How many schedules of a namespace are in each state. */
export interface ScheduleCounts {
  /** Not paused and with a next fire time (in the due set). */
  readonly active: number;
  readonly paused: number;
  /** Not paused, and their trigger has no fire time left. */
  readonly finished: number;
}

/**
 * Counts a namespace's schedules by state from three set sizes (all schedules, the due set and
 * the paused set), without reading any schedule: its cost does not grow with their number.
 */
export async function countSchedules(redis: RedisConnection, keys: NamespaceKeys): Promise<ScheduleCounts> {
  const [total, active, paused] = await Promise.all([redis.zcard(keys.ids), redis.zcard(keys.due), redis.scard(keys.paused)]);
  return { active, paused, finished: Math.max(0, total - active - paused) };
}
