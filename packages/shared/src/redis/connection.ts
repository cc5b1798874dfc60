import { isIP } from 'node:net';
import type { ConnectionOptions as TlsConnectionOptions } from 'node:tls';
import { Cluster, Redis, type RedisOptions } from 'ioredis';
import { ValidationError } from '../errors';
import { RedisConnectionError } from './redis-connection-error';
import { describeRedisTarget, isCluster, redisTargetSetting, toRedisTarget, type RedisConnection, type RedisTarget } from './redis-target';
import { checkedConnectionName, clusterConnectionOptions, isReadOnlyReply, sentinelConnectionOptions } from './topology-options';

/** The Redis URL used when `REDIS_URL` is not set. */
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** The port of a Redis URL that names none, for `redis://` and `rediss://` alike. */
export const DEFAULT_REDIS_PORT = 6379;

/** The field named by every error about the Redis URL. */
const URL_FIELD = 'REDIS_URL';

/** What a valid URL looks like, repeated in error messages. */
const URL_FORM = 'redis://[[user]:password@]host[:port][/db] or rediss://... for TLS';

/**
 * The Redis URL a Sundial process connects to: `REDIS_URL`, or {@link DEFAULT_REDIS_URL} when it
 * is unset or blank.
 *
 * @param env - the environment to read; defaults to `process.env`
 */
export function resolveRedisUrl(env: NodeJS.ProcessEnv = process.env): string {
  const url = env.REDIS_URL?.trim();
  return url ? url : DEFAULT_REDIS_URL;
}

/**
 * A Redis URL with its password replaced by `***`, safe for logs and error messages. Works on
 * strings that are not valid URLs too.
 */
export function redactRedisUrl(url: string): string {
  const start = url.indexOf('//');
  const at = url.lastIndexOf('@');
  if (start === -1 || at < start) return url;
  const userinfo = url.slice(start + 2, at);
  const colon = userinfo.indexOf(':');
  if (colon === -1) return url;
  return `${url.slice(0, start + 2)}${userinfo.slice(0, colon)}:***${url.slice(at)}`;
}

function invalidUrl(url: string, problem: string, cause?: unknown): ValidationError {
  return new ValidationError(URL_FIELD, `${problem} (got "${redactRedisUrl(url)}"); expected ${URL_FORM}`, cause === undefined ? undefined : { cause });
}

function decodeUserinfo(url: string, part: string, what: string): string {
  try {
    return decodeURIComponent(part);
  } catch (cause) {
    throw invalidUrl(url, `the ${what} is not valid percent-encoding`, cause);
  }
}

function parseDatabase(url: string, path: string): number | undefined {
  if (path === '' || path === '/') return undefined;
  const digits = path.slice(1);
  const db = Number(digits);
  if (!/^\d+$/.test(digits) || !Number.isSafeInteger(db)) {
    throw invalidUrl(url, `the path must be a database number such as /2, not "${path}"`);
  }
  return db;
}

/**
 * Turns a `redis://` or `rediss://` URL into ioredis connection options.
 *
 * Understands ACL credentials (`redis://user:password@host`), a password alone
 * (`redis://:password@host`), a user alone (for a `nopass` ACL user), percent-encoded
 * credentials, IPv6 hosts in brackets (`redis://[::1]:6379`) and a database number as the path
 * (`redis://host/2`). `rediss://` turns TLS on and, for a host name, sets the TLS server name
 * (SNI) to it; an IP address is verified against the certificate's IP entries instead, as Node
 * refuses IP addresses as server names.
 *
 * @throws {@link ValidationError} naming the field `REDIS_URL` when the URL is malformed, uses
 *   another scheme, names no host, has a port outside 1-65535, a path that is not a database
 *   number, or query parameters. The message never shows the password.
 */
export function redisOptionsFromUrl(url: string): RedisOptions {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch (cause) {
    throw invalidUrl(url, 'is not a valid URL', cause);
  }
  const scheme = parsed.protocol;
  if (scheme !== 'redis:' && scheme !== 'rediss:') {
    throw invalidUrl(url, `the scheme must be redis:// or rediss://, not ${scheme}//`);
  }
  const hostname = parsed.hostname;
  const host = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  if (!host) throw invalidUrl(url, 'names no host');
  let port = DEFAULT_REDIS_PORT;
  if (parsed.port !== '') {
    port = Number(parsed.port);
    if (port < 1 || port > 65_535) throw invalidUrl(url, `the port must be 1-65535, not ${parsed.port}`);
  }
  if (parsed.search !== '' || parsed.hash !== '') {
    throw invalidUrl(url, 'query parameters and fragments are not supported; put the database number in the path, e.g. redis://host:6379/2');
  }
  const db = parseDatabase(url, parsed.pathname);

  const options: RedisOptions = { host, port };
  if (parsed.username !== '') options.username = decodeUserinfo(url, parsed.username, 'user name');
  if (parsed.password !== '') options.password = decodeUserinfo(url, parsed.password, 'password');
  else if (options.username !== undefined) options.password = '';
  if (db !== undefined) options.db = db;
  if (scheme === 'rediss:') options.tls = isIP(host) === 0 ? { servername: host } : {};
  return options;
}

/** TLS settings for a `rediss://` connection, beyond what the URL says. */
export interface RedisTlsOptions {
  /**
   * Certificate authorities to trust (PEM), instead of the system's. Setting `NODE_EXTRA_CA_CERTS`
   * adds a CA without code.
   */
  ca?: TlsConnectionOptions['ca'];
  /** A client certificate (PEM), for servers that require one (`tls-auth-clients yes`). */
  cert?: TlsConnectionOptions['cert'];
  /** The private key of {@link RedisTlsOptions.cert} (PEM). */
  key?: TlsConnectionOptions['key'];
  /**
   * Whether to refuse a server whose certificate does not verify. Turn off only for servers with
   * self-signed certificates you cannot trust otherwise: it allows a man in the middle.
   *
   * @defaultValue true
   */
  rejectUnauthorized?: boolean;
  /**
   * The name to send as SNI and to check the certificate against.
   *
   * @defaultValue the URL's host, unless it is an IP address
   */
  servername?: string;
}

/** Options of {@link createRedisConnection} and {@link connectRedis}. */
export interface RedisConnectionOptions {
  /**
   * The name the connection shows in `CLIENT LIST`, conventionally `sundial:<role>` such as
   * `sundial:coordinator`. No spaces or control characters.
   *
   * @defaultValue `sundial`
   */
  connectionName?: string;
  /**
   * Whether the connection serves blocking commands or BullMQ `Worker`s and `QueueEvents`: then
   * a command waits for a reconnection however long it takes (`maxRetriesPerRequest: null`), as
   * BullMQ requires. Otherwise a command fails after 20 reconnection attempts.
   *
   * @defaultValue false
   */
  blocking?: boolean;
  /**
   * Whether to wait for the first command (or `connect()`) before connecting.
   *
   * @defaultValue false
   */
  lazyConnect?: boolean;
  /** TLS settings; allowed only with a `rediss://` URL, or with `tls: true` on a Sentinel or Cluster target. */
  tls?: RedisTlsOptions;
}

/**
 * The delay before reconnection attempt `attempt` (1, 2, ...): 200 ms more each time, at most
 * 2 s. Reconnection never gives up: a Sundial process outlives a Redis restart or failover.
 */
export function reconnectDelayMs(attempt: number): number {
  return Math.min(Math.max(attempt, 1) * 200, 2_000);
}

/**
 * The ioredis options Sundial connects with: those of the URL plus the defaults described on
 * {@link RedisConnectionOptions}.
 *
 * @throws {@link ValidationError} for a malformed URL, an invalid connection name, or TLS
 *   options with a `redis://` URL.
 */
export function redisConnectionOptions(url: string, options: RedisConnectionOptions = {}): RedisOptions {
  const fromUrl = redisOptionsFromUrl(url);
  const connectionName = checkedConnectionName(options);
  if (options.tls !== undefined && fromUrl.tls === undefined) {
    throw invalidUrl(url, 'TLS options were given but the URL uses redis://; use rediss:// to connect with TLS');
  }
  return {
    ...fromUrl,
    ...(fromUrl.tls !== undefined && { tls: { ...fromUrl.tls, ...options.tls } }),
    connectionName,
    lazyConnect: options.lazyConnect ?? false,
    enableReadyCheck: true,
    maxRetriesPerRequest: options.blocking ? null : 20,
    retryStrategy: reconnectDelayMs,
    reconnectOnError: isReadOnlyReply,
  };
}

/**
 * Creates an ioredis connection for Sundial or BullMQ. This is the one place Sundial builds
 * Redis connections, so every process connects the same way: a `Redis` for a URL or a Sentinel
 * target (ioredis asks the sentinels for the primary), a `Cluster` for a Cluster target.
 *
 * The connection reconnects forever with a capped backoff ({@link reconnectDelayMs}) and
 * reports problems as `error` events, so a caller should listen to them. To fail at once when
 * Redis is unreachable or refuses the credentials, use {@link connectRedis}.
 *
 * @param target - a `redis://` or `rediss://` URL, usually from `resolveRedisTarget`, or a target
 * @throws {@link ValidationError} as {@link redisConnectionOptions} does
 */
export function createRedisConnection(target: string, options?: RedisConnectionOptions): Redis;
export function createRedisConnection(target: string | RedisTarget, options?: RedisConnectionOptions): RedisConnection;
export function createRedisConnection(target: string | RedisTarget, options: RedisConnectionOptions = {}): RedisConnection {
  const resolved = toRedisTarget(target);
  if (resolved.kind === 'standalone') return new Redis(redisConnectionOptions(resolved.url, options));
  if (resolved.kind === 'sentinel') return new Redis(sentinelConnectionOptions(resolved, options));
  const cluster = clusterConnectionOptions(resolved, options);
  return new Cluster(cluster.nodes, cluster.options);
}

/** A connection that does not retry before it first becomes ready, so a failure ends it at once. */
function failFastConnection(target: RedisTarget, options: RedisConnectionOptions, connected: () => boolean): RedisConnection {
  const retry = (attempt: number): number | null => (connected() ? reconnectDelayMs(attempt) : null);
  const lazy = { ...options, lazyConnect: true };
  if (target.kind === 'standalone') return new Redis({ ...redisConnectionOptions(target.url, lazy), retryStrategy: retry });
  if (target.kind === 'sentinel') return new Redis({ ...sentinelConnectionOptions(target, lazy), retryStrategy: retry, sentinelRetryStrategy: retry });
  const cluster = clusterConnectionOptions(target, lazy);
  return new Cluster(cluster.nodes, { ...cluster.options, clusterRetryStrategy: retry });
}

/**
 * Connects to Redis and waits until the connection is ready. Unlike
 * {@link createRedisConnection}, fails at the first problem instead of retrying, with an error
 * that says what went wrong: for command-line tools and start-up checks. Once connected, the
 * client reconnects like any other; listen to its `error` events (ioredis prints those nobody
 * listens to).
 *
 * @throws {@link ValidationError} for a malformed URL or options
 * @throws {@link RedisConnectionError} when Redis cannot be reached (for Sentinel: no sentinel
 *   answered or none knows the name; for Cluster: no node answered or the cluster is not ready),
 *   refuses the credentials or fails the TLS handshake; it names the setting and carries the
 *   underlying error as `cause`
 */
export async function connectRedis(target: string, options?: RedisConnectionOptions): Promise<Redis>;
export async function connectRedis(target: string | RedisTarget, options?: RedisConnectionOptions): Promise<RedisConnection>;
export async function connectRedis(target: string | RedisTarget, options: RedisConnectionOptions = {}): Promise<RedisConnection> {
  const resolved = toRedisTarget(target);
  let connected = false;
  // No retry until the first connection is ready: a failure ends the client at once ("end"), so
  // nothing needs disconnecting (ioredis's disconnect() of a reconnecting client holds the event
  // loop open for its disconnectTimeout).
  const redis = failFastConnection(resolved, options, () => connected);
  let lastError: Error | undefined;
  const remember = (error: Error): void => {
    lastError = error;
  };
  redis.on('error', remember);
  try {
    await redis.connect();
    connected = true;
    return redis;
  } catch (error) {
    if (redis.status !== 'end') redis.disconnect();
    throw new RedisConnectionError(describeRedisTarget(resolved), lastError ?? error, redisTargetSetting(resolved));
  } finally {
    redis.off('error', remember);
  }
}

/** Options of {@link duplicateRedisConnection}. */
export interface DuplicateConnectionOptions {
  /** The name the new connection shows in `CLIENT LIST`, such as `sundial:worker:cancel`. */
  connectionName: string;
  /** Whether it serves blocking commands or BullMQ workers (see {@link RedisConnectionOptions.blocking}). */
  blocking?: boolean;
  /** Whether to wait for the first command (or `connect()`) before connecting. */
  lazyConnect?: boolean;
}

/**
 * A new connection to the same Redis, Sentinel primary or Cluster as `connection`, with its own
 * name: for subscribers and blocking commands, which need a connection of their own. (A
 * `Cluster` takes per-node options under `redisOptions`, a `Redis` at the top level.)
 */
export function duplicateRedisConnection(connection: RedisConnection, options: DuplicateConnectionOptions): RedisConnection {
  const checked = checkedConnectionName(options);
  const perNode: RedisOptions = { connectionName: checked, ...(options.blocking && { maxRetriesPerRequest: null }) };
  if (isCluster(connection)) {
    return connection.duplicate(undefined, {
      redisOptions: { ...connection.options.redisOptions, ...perNode },
      ...(options.lazyConnect !== undefined && { lazyConnect: options.lazyConnect }),
    });
  }
  return connection.duplicate({ ...perNode, ...(options.lazyConnect !== undefined && { lazyConnect: options.lazyConnect }) });
}
