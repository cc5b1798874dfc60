import type { RedisConnection } from '../redis/redis-target';
import type { NamespaceKeys } from './keys';
import { runScript } from './scripts';

/**
 * Removes the heartbeats that expired by `nowMs` from the `workers` and `coordinators` hashes.
 * Each worker removed gets one `worker.left` event (reason `expired`), written atomically with
 * its removal, so any number of coordinators may call this at once and the event is written
 * once. A worker that was only slow (a long pause) writes its heartbeat again on its next beat.
 *
 * @returns the ids of the workers removed
 */
export async function reapExpiredHeartbeats(redis: RedisConnection, keys: NamespaceKeys, options: { nowMs: number; eventsMaxLength: number }): Promise<string[]> {
  return runScript<string[]>(redis, 'reapHeartbeats', [keys.workers, keys.coordinators, keys.events], [options.nowMs, options.eventsMaxLength]);
}
