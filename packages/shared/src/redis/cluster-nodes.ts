import type { Redis } from 'ioredis';
import { isCluster, type RedisConnection } from './redis-target';

/**
 * The connections that hold data: every master of a cluster, or the connection itself for a
 * standalone or Sentinel-managed Redis. For server commands whose answer differs per node (`INFO`,
 * `CONFIG GET`) and for `SCAN`, which a cluster node answers for its own slots only. A cluster
 * that is still connecting is waited for (a command queued until it is ready), as a standalone
 * connection queues commands.
 */
export async function dataNodes(connection: RedisConnection): Promise<Redis[]> {
  if (!isCluster(connection)) return [connection];
  if (connection.nodes('master').length === 0) await connection.ping();
  return connection.nodes('master');
}

/** `host:port` of a node, for messages. */
export function nodeAddress(node: Redis): string {
  const { host = '', port } = node.options;
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * Every key matching a glob `pattern` (`SCAN ... MATCH`), on every master of a cluster. A key may
 * be reported more than once (SCAN's guarantee); callers that count must deduplicate.
 *
 * @param onBatch - receives each batch of keys as it is found, with the node that holds them
 */
export async function scanKeys(connection: RedisConnection, pattern: string, onBatch: (keys: string[], node: Redis) => Promise<void>): Promise<void> {
  for (const node of await dataNodes(connection)) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 1_000);
      cursor = next;
      if (keys.length > 0) await onBatch(keys, node);
    } while (cursor !== '0');
  }
}
