import { SundialClient } from '@sundial/shared';
import type { CliContext } from './cli-context';
import { closeConnection, openConnection, resolveConnection, type ConnectionFlags } from './connection';

/**
 * Runs `use` with a `SundialClient` for the namespace and Redis the flags and environment name
 * (see `resolveConnection`), and closes the client and its connection afterwards, whatever
 * happened.
 *
 * @throws ValidationError for a bad URL or namespace; RedisConnectionError when Redis is unreachable;
 *   whatever `use` throws
 */
export async function withClient<T>(flags: ConnectionFlags, context: CliContext, use: (client: SundialClient) => Promise<T>): Promise<T> {
  const settings = resolveConnection(flags, context.env);
  const redis = await openConnection(settings, 'sundial:cli');
  let client: SundialClient | undefined;
  try {
    client = new SundialClient({ connection: redis, namespace: settings.namespace });
    return await use(client);
  } finally {
    try {
      await client?.close();
    } finally {
      await closeConnection(redis);
    }
  }
}
