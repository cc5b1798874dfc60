import { SundialClient, type SundialOperations, closeRedis } from '@sundial/shared';
import { createApiClient, resolveApiSettings } from './api-connection';
import type { CliContext } from './cli-context';
import { openConnection, resolveConnection, type ConnectionFlags } from './connection';

/**
 * Runs `use` with the operations of the schedules the flags and environment name, and closes
 * what it opened afterwards, whatever happened: an `ApiClient` with `--api` (or
 * `SUNDIAL_API_URL`, see `resolveApiSettings`), else a `SundialClient` on the Redis and
 * namespace of `resolveConnection`. Both raise the same errors, so a command reads the same in
 * either mode.
 *
 * @throws ValidationError for a bad URL, namespace or flag combination; RedisConnectionError when
 *   Redis is unreachable (ApiUnreachableError, from the first operation, when the API is); whatever `use` throws
 */
export async function withClient<T>(flags: ConnectionFlags, context: CliContext, use: (client: SundialOperations) => Promise<T>): Promise<T> {
  const api = resolveApiSettings(flags, context.env);
  if (api !== undefined) {
    const client = createApiClient(api);
    try {
      return await use(client);
    } finally {
      await client.close();
    }
  }
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
      await closeRedis(redis);
    }
  }
}
