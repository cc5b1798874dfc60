import type { RedisConnection } from '../redis/redis-target';
import { parseStoredSchedule, type StoredSchedule } from '../schedule/stored-schedule';
import type { NamespaceKeys } from './keys';

/**
 * Reads schedules by id in one round trip: the state hash (`HGETALL`) and the definition (`GET`)
 * of each, pipelined (one cluster slot: the keys share the namespace's hash tag).
 *
 * @returns one entry per id, in order; undefined where there is no such schedule
 */
export async function readStoredSchedules(redis: RedisConnection, keys: NamespaceKeys, ids: readonly string[]): Promise<(StoredSchedule | undefined)[]> {
  if (ids.length === 0) return [];
  const pipeline = redis.pipeline();
  for (const id of ids) pipeline.hgetall(keys.schedule(id)).get(keys.definition(id));
  const replies = (await pipeline.exec()) ?? [];
  return ids.map((_, index) => {
    const [hashError, hash] = replies[2 * index] ?? [];
    const [definitionError, definition] = replies[2 * index + 1] ?? [];
    if (hashError) throw hashError;
    if (definitionError) throw definitionError;
    return parseStoredSchedule((hash ?? {}) as Record<string, string>, definition as string | null | undefined);
  });
}
