import {
  CLIENT_DEFAULTS,
  REDIS_SETTINGS,
  ValidationError,
  connectRedis,
  isValidNamespace,
  redisTargetSetting,
  resolveRedisTarget,
  type RedisConnection,
  type RedisTarget,
} from '@sundial/shared';
import type { Command } from 'commander';

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
  /** Where the data lives: a standalone Redis, a Sentinel-managed primary or a cluster. */
  readonly target: RedisTarget;
  /** `--redis-url`, `REDIS_URL`, `REDIS_SENTINELS` or `REDIS_CLUSTER_NODES`: what errors about the connection name. */
  readonly urlField: string;
  /** The namespace of the schedules. */
  readonly namespace: string;
}

/** Declares `--redis-url`, `--namespace`, `--api` and `--token` (see {@link ConnectionFlags}) on the program. */
export function addConnectionFlags(program: Command): Command {
  return program
    .option('--redis-url <url>', 'Redis to connect to (default: REDIS_URL, REDIS_SENTINELS or REDIS_CLUSTER_NODES, else redis://127.0.0.1:6379)')
    .option('--namespace <ns>', `namespace of the schedules (default: SUNDIAL_NAMESPACE, else "${CLIENT_DEFAULTS.namespace}")`)
    .option('--api <url>', "talk to a coordinator's admin API at this URL instead of Redis (default: SUNDIAL_API_URL)")
    .option('--token <token>', 'bearer token for --api (default: SUNDIAL_API_TOKEN)');
}

function withField(error: unknown, field: string): unknown {
  return error instanceof ValidationError ? new ValidationError(field, error.problem, { cause: error }) : error;
}

/** The target `--redis-url` names; the environment's other Redis settings may not contradict it. */
function targetOfFlag(url: string, env: Readonly<Record<string, string | undefined>>): RedisTarget {
  for (const setting of [REDIS_SETTINGS.sentinels, REDIS_SETTINGS.clusterNodes]) {
    if (env[setting]?.trim()) throw new ValidationError('--redis-url', `cannot be combined with ${setting} (set in the environment); unset ${setting} or leave out --redis-url`);
  }
  try {
    return resolveRedisTarget({ ...env, [REDIS_SETTINGS.url]: url });
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    const field = error.field === REDIS_SETTINGS.url ? '--redis-url' : error.field;
    throw new ValidationError(field, error.problem.replaceAll(REDIS_SETTINGS.url, '--redis-url'), { cause: error });
  }
}

/**
 * Resolves and checks where to connect: `--redis-url` over the environment's Redis settings (see
 * `resolveRedisTarget`: `REDIS_URL`, `REDIS_SENTINELS`, `REDIS_CLUSTER_NODES`) over the default.
 * A blank variable counts as unset.
 *
 * @throws ValidationError naming the flag or variable the bad value came from, or both when
 *   `--redis-url` meets `REDIS_SENTINELS` or `REDIS_CLUSTER_NODES`
 */
export function resolveConnection(flags: ConnectionFlags, env: Readonly<Record<string, string | undefined>>): ConnectionSettings {
  const target = flags.redisUrl === undefined ? resolveRedisTarget(env) : targetOfFlag(flags.redisUrl, env);
  const urlField = flags.redisUrl === undefined ? redisTargetSetting(target) : '--redis-url';
  const fromEnv = env.SUNDIAL_NAMESPACE?.trim();
  const namespaceField = flags.namespace === undefined ? 'SUNDIAL_NAMESPACE' : '--namespace';
  const namespace = flags.namespace ?? (fromEnv ? fromEnv : CLIENT_DEFAULTS.namespace);
  if (!isValidNamespace(namespace)) {
    throw new ValidationError(namespaceField, `expected 1-64 letters, digits or . _ - starting with a letter or digit, got ${JSON.stringify(namespace)}`);
  }
  return { target, urlField, namespace };
}

/**
 * Connects to Redis, failing at once when it cannot (see `connectRedis`).
 *
 * @throws RedisConnectionError when Redis is unreachable or refuses the credentials
 */
export async function openConnection(settings: ConnectionSettings, connectionName: string): Promise<RedisConnection> {
  let redis: RedisConnection;
  try {
    redis = await connectRedis(settings.target, { connectionName });
  } catch (error) {
    throw withField(error, settings.urlField);
  }
  // A connection lost later fails the command in progress, which reports it; without a listener
  // ioredis would also print each reconnection error.
  redis.on('error', () => undefined);
  return redis;
}
