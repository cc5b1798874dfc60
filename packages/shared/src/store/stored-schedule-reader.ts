import type { RedisConnection } from '../redis/redis-target';
import { parseStoredSchedule, storedSchedule, type StoredSchedule } from '../schedule/stored-schedule';
import type { DefinitionCache } from './definition-cache';
import type { NamespaceKeys } from './keys';

/**
 * Reads schedules by id in one round trip: the state hash (`HGETALL`) and the definition (`GET`)
 * of each, pipelined (one cluster slot: the keys share the namespace's hash tag). With a `cache`,
 * a definition kept there at the state the hash shows is neither read nor parsed again; one kept
 * at an older state is read in a second round trip.
 *
 * @returns one entry per id, in order; undefined where there is no such schedule
 */
export async function readStoredSchedules(redis: RedisConnection, keys: NamespaceKeys, ids: readonly string[], cache?: DefinitionCache): Promise<(StoredSchedule | undefined)[]> {
  if (ids.length === 0) return [];
  const pipeline = redis.pipeline();
  const definitionRead = ids.map((id) => {
    pipeline.hgetall(keys.schedule(id));
    if (cache?.has(id)) return false;
    pipeline.get(keys.definition(id));
    return true;
  });
  const replies = (await pipeline.exec()) ?? [];
  let reply = 0;
  const next = (): unknown => {
    const [error, value] = replies[reply++] ?? [];
    if (error) throw error;
    return value;
  };
  const read = ids.map((id, index) => {
    const hash = (next() ?? {}) as Record<string, string>;
    const definition = definitionRead[index] ? (next() as string | null) : undefined;
    // Looked up once: a definition kept at the state the hash shows.
    const kept = definition === undefined && Object.keys(hash).length > 0 ? cache?.get(id, hash) : undefined;
    return { id, hash, definition, kept };
  });
  // Kept at an older state (the schedule changed): read again, unless the hash holds it (an older layout).
  const stale = read.filter(({ hash, definition, kept }) => definition === undefined && kept === undefined && hash.spec === undefined && Object.keys(hash).length > 0);
  if (stale.length > 0) {
    const definitions = await redis.mget(...stale.map(({ id }) => keys.definition(id)));
    stale.forEach((entry, index) => (entry.definition = definitions[index] ?? null));
  }
  return read.map(({ id, hash, definition, kept }) => {
    if (Object.keys(hash).length === 0) return undefined;
    if (kept) return storedSchedule(hash, kept);
    const stored = parseStoredSchedule(hash, definition);
    if (stored && cache) cache.set(id, hash, stored.spec);
    return stored;
  });
}
