import type { ClusterOptions, RedisOptions } from 'ioredis';
import { ValidationError } from '../errors';
import { reconnectDelayMs, type RedisConnectionOptions } from './connection';
import { REDIS_SETTINGS, type RedisTarget } from './redis-target';

/** Client names may not contain spaces, newlines or other control characters (`CLIENT SETNAME`). */
const CLIENT_NAME = /^[\x21-\x7e]+$/;

/**
 * The connection name of {@link RedisConnectionOptions}, checked.
 *
 * @throws {@link ValidationError} naming `connectionName`
 */
export function checkedConnectionName(options: RedisConnectionOptions): string {
  const connectionName = options.connectionName ?? 'sundial';
  if (!CLIENT_NAME.test(connectionName)) {
    throw new ValidationError('connectionName', `must be printable characters without spaces, such as "sundial:coordinator", got "${connectionName}"`);
  }
  return connectionName;
}

/** After a failover a client may still talk to the demoted primary; reconnect and resend. */
export function isReadOnlyReply(error: Error): boolean {
  return error.message.startsWith('READONLY');
}

function tlsOptions(target: { tls?: boolean }, options: RedisConnectionOptions): RedisOptions['tls'] {
  if (options.tls !== undefined && !target.tls) {
    throw new ValidationError(REDIS_SETTINGS.tls, 'TLS options were given but REDIS_TLS is not true; set REDIS_TLS=true to connect with TLS');
  }
  return target.tls ? { ...options.tls } : undefined;
}

/**
 * The ioredis options for a primary that Redis Sentinel watches: the sentinels are asked for the
 * current primary at each (re)connection, and a `READONLY` reply (a primary demoted while the
 * client still talks to it) makes it reconnect. Same reconnection and blocking rules as a
 * standalone connection. ioredis's `failoverDetector` stays off: its `+switch-master` notice,
 * arriving while the client is reconnecting through the sentinels, ends the client for good
 * ("Connection is closed"), and it keeps subscriptions to the sentinels open after `QUIT`.
 *
 * @throws {@link ValidationError} for an invalid connection name, or TLS options without `REDIS_TLS`
 */
export function sentinelConnectionOptions(target: Extract<RedisTarget, { kind: 'sentinel' }>, options: RedisConnectionOptions = {}): RedisOptions {
  const connectionName = checkedConnectionName(options);
  const tls = tlsOptions(target, options);
  return {
    sentinels: target.sentinels.map(({ host, port }) => ({ host, port })),
    name: target.name,
    ...(target.username !== undefined && { username: target.username }),
    ...(target.password !== undefined && { password: target.password }),
    ...(target.sentinelUsername !== undefined && { sentinelUsername: target.sentinelUsername }),
    ...(target.sentinelPassword !== undefined && { sentinelPassword: target.sentinelPassword }),
    ...(target.db !== undefined && { db: target.db }),
    ...(tls !== undefined && { tls, sentinelTLS: tls, enableTLSForSentinelMode: true }),
    connectionName,
    lazyConnect: options.lazyConnect ?? false,
    enableReadyCheck: true,
    maxRetriesPerRequest: options.blocking ? null : 20,
    retryStrategy: reconnectDelayMs,
    sentinelRetryStrategy: reconnectDelayMs,
    reconnectOnError: isReadOnlyReply,
  };
}

/** The startup nodes and options of a Redis Cluster connection. */
export interface ClusterConnectionOptions {
  readonly nodes: { host: string; port: number }[];
  readonly options: ClusterOptions;
}

/**
 * The ioredis options for a Redis Cluster: the per-node options (credentials, TLS, connection
 * name, blocking) go under `redisOptions`; the cluster reconnects forever with the same capped
 * backoff as a standalone connection and follows `MOVED`/`ASK` redirections after a failover or
 * resharding.
 *
 * @throws {@link ValidationError} for an invalid connection name, or TLS options without `REDIS_TLS`
 */
export function clusterConnectionOptions(target: Extract<RedisTarget, { kind: 'cluster' }>, options: RedisConnectionOptions = {}): ClusterConnectionOptions {
  const connectionName = checkedConnectionName(options);
  const tls = tlsOptions(target, options);
  return {
    nodes: target.nodes.map(({ host, port }) => ({ host, port })),
    options: {
      redisOptions: {
        ...(target.username !== undefined && { username: target.username }),
        ...(target.password !== undefined && { password: target.password }),
        ...(tls !== undefined && { tls }),
        connectionName,
        maxRetriesPerRequest: options.blocking ? null : 20,
        reconnectOnError: isReadOnlyReply,
      },
      lazyConnect: options.lazyConnect ?? false,
      enableReadyCheck: true,
      clusterRetryStrategy: reconnectDelayMs,
    },
  };
}
