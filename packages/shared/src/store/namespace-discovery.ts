import { scanKeys } from '../redis/cluster-nodes';
import type { RedisConnection } from '../redis/redis-target';

/** Keys that exist in every namespace holding schedules: its sorted set of schedule ids. */
const IDS_KEY = /^sundial:\{([^{}]+)\}:ids$/;

/**
 * The namespaces that hold schedules, sorted: found by scanning for their `ids` keys, on every
 * master of a Redis Cluster. Costs a full keyspace scan (in steps of 1,000 keys), so callers
 * repeat it rarely.
 */
export async function discoverNamespaces(connection: RedisConnection): Promise<string[]> {
  const found = new Set<string>();
  await scanKeys(connection, 'sundial:{*}:ids', async (keys) => {
    for (const key of keys) {
      const namespace = IDS_KEY.exec(key)?.[1];
      if (namespace !== undefined) found.add(namespace);
    }
  });
  return [...found].sort();
}
