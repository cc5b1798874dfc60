import { CLIENT_DEFAULTS, ValidationError, connectRedis, isValidNamespace, redisOptionsFromUrl, resolveRedisUrl } from '@sundial/shared';
import type { Command } from 'commander';
import type { Redis } from 'ioredis';

/** The program-wide flags that say where the schedules live, over the environment. */
export interface ConnectionFlags {
  /** `--redis-url URL`, over `REDIS_URL`. */
  redisUrl?: string;
  /** `--namespace NS`, over `SUNDIAL_NAMESPACE`. */
  namespace?: string;
  /** `--api URL`, over `SUNDIAL_API_URL`: talk to a coordinator's admin API instead of Redis. */
  api?: string;
  /** `--token T`, over `SUNDIAL_API_TOKEN`: the API's bearer token. */
  token?: string;
}

/** Where a command connects, and which flag or variable said so (for error messages). */
export interface ConnectionSettings {
  /** The Redis URL. */
  readonly url: string;
  /** `--redis-url` or `REDIS_URL`: what errors about the URL name. */
  readonly urlField: string;
  /** The namespace of the schedules. */
  readonly namespace: string;
}

/** Declares `--redis-url`, `--namespace`, `--api` and `--token` (see {@link ConnectionFlags}) on the program. */
export function addConnectionFlags(program: Command): Command {
  return program
    .option('--redis-url <url>', 'Redis to connect to (default: REDIS_URL, else redis://127.0.0.1:6379)')
    .option('--namespace <ns>', `namespace of the schedules (default: SUNDIAL_NAMESPACE, else "${CLIENT_DEFAULTS.namespace}")`)
    .option('--api <url>', "talk to a coordinator's admin API at this URL instead of Redis (default: SUNDIAL_API_URL)")
    .option('--token <token>', 'bearer token for --api (default: SUNDIAL_API_TOKEN)');
}

function withField(error: unknown, field: string): unknown {
  return error instanceof ValidationError ? new ValidationError(field, error.problem, { cause: error }) : error;
}

/**
 * Resolves and checks where to connect: a flag over its environment variable over the default.
 * A blank variable counts as unset.
 *
 * @throws ValidationError naming the flag or variable the bad value came from
 */
export function resolveConnection(flags: ConnectionFlags, env: Readonly<Record<string, string | undefined>>): ConnectionSettings {
  const urlField = flags.redisUrl === undefined ? 'REDIS_URL' : '--redis-url';
  const url = flags.redisUrl ?? resolveRedisUrl(env);
  try {
    redisOptionsFromUrl(url);
  } catch (error) {
    throw withField(error, urlField);
  }
  const fromEnv = env.SUNDIAL_NAMESPACE?.trim();
  const namespaceField = flags.namespace === undefined ? 'SUNDIAL_NAMESPACE' : '--namespace';
  const namespace = flags.namespace ?? (fromEnv ? fromEnv : CLIENT_DEFAULTS.namespace);
  if (!isValidNamespace(namespace)) {
    throw new ValidationError(namespaceField, `expected 1-64 letters, digits or . _ - starting with a letter or digit, got ${JSON.stringify(namespace)}`);
  }
  return { url, urlField, namespace };
}

/**
 * Connects to Redis, failing at once when it cannot (see `connectRedis`).
 *
 * @throws RedisConnectionError when Redis is unreachable or refuses the credentials
 */
export async function openConnection(settings: ConnectionSettings, connectionName: string): Promise<Redis> {
  let redis: Redis;
  try {
    redis = await connectRedis(settings.url, { connectionName });
  } catch (error) {
    throw withField(error, settings.urlField);
  }
  // A connection lost later fails the command in progress, which reports it; without a listener
  // ioredis would also print each reconnection error.
  redis.on('error', () => undefined);
  return redis;
}
