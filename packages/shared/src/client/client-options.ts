import type { Clock } from '../clock';
import { ValidationError } from '../errors';
import { DEFAULT_MAX_DATA_BYTES } from '../schedule/schedule-spec';
import { isValidNamespace } from '../store/keys';
import { resolveRedisTarget, type RedisConnection, type RedisTarget } from '../redis/redis-target';

/** Options of `SundialClient` (and of the coordinator, which shares them). */
export interface SundialClientOptions {
  /**
   * A Redis URL, a {@link RedisTarget} (standalone, Sentinel or Cluster), or an ioredis connection
   * (`Redis` or `Cluster`) the client uses without closing it.
   *
   * @defaultValue from the environment, see `resolveRedisTarget` (`REDIS_URL`, `REDIS_SENTINELS`,
   *   `REDIS_CLUSTER_NODES`), else `redis://127.0.0.1:6379`
   */
  connection?: string | RedisTarget | RedisConnection;
  /** Isolates one set of schedules; all its keys share one Redis Cluster slot. @defaultValue `SUNDIAL_NAMESPACE`, else `"default"` */
  namespace?: string;
  /** The largest schedule `data`, in bytes of JSON. @defaultValue 65,536 */
  maxDataBytes?: number;
  /** Run records kept per schedule; older ones are deleted. @defaultValue 1,000 */
  historyLimit?: number;
  /** Approximate length at which the events stream is trimmed. @defaultValue 10,000 */
  eventsMaxLength?: number;
  /**
   * The time schedules are changed at (`add`, `update`, `pause`, `resume`, `trigger`, `backfill`,
   * `retryRun`, `remove`): a virtual clock in `@sundial/testing`. Worker liveness is always judged
   * on Redis time.
   *
   * @defaultValue Redis `TIME`
   */
  clock?: Clock;
}

/** `SundialClientOptions` with every default applied. */
export interface ResolvedClientOptions {
  readonly connection: string | RedisTarget | RedisConnection;
  readonly namespace: string;
  readonly maxDataBytes: number;
  readonly historyLimit: number;
  readonly eventsMaxLength: number;
}

/** The defaults of `SundialClientOptions`. */
export const CLIENT_DEFAULTS = {
  namespace: 'default',
  maxDataBytes: DEFAULT_MAX_DATA_BYTES,
  historyLimit: 1_000,
  eventsMaxLength: 10_000,
} as const;

/** Applies the defaults (and the Redis settings and `SUNDIAL_NAMESPACE` from `env`) and checks the values. */
export function resolveClientOptions(options: SundialClientOptions = {}, env: NodeJS.ProcessEnv = process.env): ResolvedClientOptions {
  const namespace = options.namespace ?? (env.SUNDIAL_NAMESPACE || CLIENT_DEFAULTS.namespace);
  if (!isValidNamespace(namespace)) {
    throw new ValidationError('namespace', `expected 1-64 letters, digits or . _ - (SUNDIAL_NAMESPACE), got ${JSON.stringify(namespace)}`);
  }
  const positive = (value: number | undefined, fallback: number, field: string) => {
    const resolved = value ?? fallback;
    if (!Number.isInteger(resolved) || resolved < 1) throw new ValidationError(field, `expected a whole number of at least 1, got ${String(value)}`);
    return resolved;
  };
  return {
    connection: options.connection ?? resolveRedisTarget(env),
    namespace,
    maxDataBytes: positive(options.maxDataBytes, CLIENT_DEFAULTS.maxDataBytes, 'maxDataBytes'),
    historyLimit: positive(options.historyLimit, CLIENT_DEFAULTS.historyLimit, 'historyLimit'),
    eventsMaxLength: positive(options.eventsMaxLength, CLIENT_DEFAULTS.eventsMaxLength, 'eventsMaxLength'),
  };
}
