import type { Cluster, Redis } from 'ioredis';
import { ValidationError } from '../errors';
import { DEFAULT_REDIS_URL, redactRedisUrl, redisOptionsFromUrl } from './connection';

/** One Redis server (a sentinel or a cluster node) by host and port. */
export interface RedisNode {
  host: string;
  port: number;
}

/**
 * Where Sundial's data lives: a standalone Redis (by URL), a primary that Redis Sentinel watches
 * and fails over, or a Redis Cluster. Every key of a namespace shares one hash tag, so on a
 * cluster a namespace lives in one slot.
 */
export type RedisTarget =
  | {
      kind: 'standalone';
      /** A `redis://` or `rediss://` URL. */
      url: string;
    }
  | {
      kind: 'sentinel';
      /** Sentinels to ask for the current primary; any one that answers is enough. */
      sentinels: RedisNode[];
      /** The name the sentinels monitor the primary under (`sentinel monitor <name> ...`). */
      name: string;
      /** ACL user on the primary and replicas. */
      username?: string;
      /** Password on the primary and replicas. */
      password?: string;
      /** ACL user on the sentinels. */
      sentinelUsername?: string;
      /** Password on the sentinels. */
      sentinelPassword?: string;
      /** Database number. @defaultValue 0 */
      db?: number;
      /** Whether to talk TLS to the sentinels and the data nodes. @defaultValue false */
      tls?: boolean;
    }
  | {
      kind: 'cluster';
      /** Some nodes of the cluster to discover it from; any one that answers is enough. */
      nodes: RedisNode[];
      /** ACL user on every node. */
      username?: string;
      /** Password on every node. */
      password?: string;
      /** Whether to talk TLS to the nodes. @defaultValue false */
      tls?: boolean;
    };

/** An ioredis connection to Sundial's data: a standalone or Sentinel-managed `Redis`, or a `Cluster`. */
export type RedisConnection = Redis | Cluster;

/** The environment variables {@link resolveRedisTarget} reads. */
export const REDIS_SETTINGS = {
  url: 'REDIS_URL',
  sentinels: 'REDIS_SENTINELS',
  sentinelName: 'REDIS_SENTINEL_NAME',
  sentinelUsername: 'REDIS_SENTINEL_USERNAME',
  sentinelPassword: 'REDIS_SENTINEL_PASSWORD',
  clusterNodes: 'REDIS_CLUSTER_NODES',
  username: 'REDIS_USERNAME',
  password: 'REDIS_PASSWORD',
  db: 'REDIS_DB',
  tls: 'REDIS_TLS',
} as const;

const NODE_LIST_FORM = 'expected comma-separated host:port entries such as "10.0.0.1:26379,10.0.0.2:26379" ([::1]:6379 for IPv6)';

/** The setting a connection error names: the variable the servers came from. */
export function redisTargetSetting(target: RedisTarget): string {
  if (target.kind === 'sentinel') return REDIS_SETTINGS.sentinels;
  if (target.kind === 'cluster') return REDIS_SETTINGS.clusterNodes;
  return REDIS_SETTINGS.url;
}

/**
 * Parses one `host:port` entry (`[v6-address]:port` for IPv6).
 *
 * @throws {@link ValidationError} naming `field` and the entry
 */
export function parseRedisNode(entry: string, field: string): RedisNode {
  const text = entry.trim();
  const match = /^(?:\[([^\]]+)\]|([^:[\]\s]+)):(\d{1,5})$/.exec(text);
  const port = Number(match?.[3]);
  if (!match || port < 1 || port > 65_535) {
    throw new ValidationError(field, `"${text}" is not host:port with a port of 1-65535; ${NODE_LIST_FORM}`);
  }
  return { host: (match[1] ?? match[2]) as string, port };
}

/**
 * Parses a comma-separated list of `host:port` entries.
 *
 * @throws {@link ValidationError} naming `field` for an empty list or a malformed entry
 */
export function parseRedisNodes(list: string, field: string): RedisNode[] {
  const entries = list.split(',').map((entry) => entry.trim());
  if (entries.every((entry) => entry === '')) throw new ValidationError(field, `lists no server; ${NODE_LIST_FORM}`);
  return entries.map((entry, index) => {
    if (entry === '') throw new ValidationError(field, `entry ${index + 1} is empty; ${NODE_LIST_FORM}`);
    return parseRedisNode(entry, field);
  });
}

type Env = Readonly<Record<string, string | undefined>>;

/** A variable's trimmed value; blank counts as unset. */
function setting(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

function parseTls(env: Env): boolean | undefined {
  const value = setting(env, REDIS_SETTINGS.tls);
  if (value === undefined) return undefined;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new ValidationError(REDIS_SETTINGS.tls, `expected true or false, got "${value}"`);
}

function parseDb(env: Env): number | undefined {
  const value = setting(env, REDIS_SETTINGS.db);
  if (value === undefined) return undefined;
  const db = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(db)) throw new ValidationError(REDIS_SETTINGS.db, `expected a database number such as 2, got "${value}"`);
  return db;
}

/** Throws when any of `names` is set alongside `given`, which excludes them. */
function refuseWith(env: Env, given: string, names: readonly string[], advice: string): void {
  const conflict = names.find((name) => setting(env, name) !== undefined);
  if (conflict) throw new ValidationError(conflict, `cannot be combined with ${given}; ${advice}`);
}

/**
 * Where to connect, from the environment:
 *
 * - `REDIS_URL` — a standalone Redis (`redis://[[user]:password@]host[:port][/db]`, `rediss://`
 *   for TLS); the credentials, database and TLS go in the URL.
 * - `REDIS_SENTINELS=host:port,...` with `REDIS_SENTINEL_NAME` (required) — the primary the
 *   sentinels monitor under that name; `REDIS_SENTINEL_USERNAME` and `REDIS_SENTINEL_PASSWORD`
 *   authenticate to the sentinels, `REDIS_DB` selects the database.
 * - `REDIS_CLUSTER_NODES=host:port,...` — a Redis Cluster, discovered from those nodes.
 *
 * For Sentinel and Cluster, `REDIS_USERNAME` and `REDIS_PASSWORD` authenticate to the data nodes
 * and `REDIS_TLS=true` turns TLS on. With none of the three set: {@link DEFAULT_REDIS_URL}.
 * Blank variables count as unset.
 *
 * @param env - the environment to read; defaults to `process.env`
 * @throws {@link ValidationError} naming the setting: for two of the three at once,
 *   `REDIS_SENTINEL_NAME` missing or set without `REDIS_SENTINELS`, a credential, database or
 *   TLS variable with `REDIS_URL` (they belong in the URL), `REDIS_DB` with a cluster, a
 *   malformed URL, an empty list or a malformed `host:port` entry. Never shows a password.
 */
export function resolveRedisTarget(env: Env = process.env): RedisTarget {
  const url = setting(env, REDIS_SETTINGS.url);
  const sentinels = setting(env, REDIS_SETTINGS.sentinels);
  const clusterNodes = setting(env, REDIS_SETTINGS.clusterNodes);
  const sentinelName = setting(env, REDIS_SETTINGS.sentinelName);
  const sentinelOnly = [REDIS_SETTINGS.sentinelName, REDIS_SETTINGS.sentinelUsername, REDIS_SETTINGS.sentinelPassword];
  const dataNodeSettings = [REDIS_SETTINGS.username, REDIS_SETTINGS.password, REDIS_SETTINGS.db, REDIS_SETTINGS.tls];

  if (url !== undefined) {
    if (clusterNodes !== undefined) throw new ValidationError(REDIS_SETTINGS.clusterNodes, `cannot be combined with ${REDIS_SETTINGS.url}; set one of them`);
    if (sentinels !== undefined) throw new ValidationError(REDIS_SETTINGS.sentinels, `cannot be combined with ${REDIS_SETTINGS.url}; set one of them`);
    refuseWith(env, REDIS_SETTINGS.url, dataNodeSettings, 'put the user name, password and database in the URL (redis://user:password@host:6379/2) and use rediss:// for TLS');
    refuseWith(env, REDIS_SETTINGS.url, sentinelOnly, `it applies only with ${REDIS_SETTINGS.sentinels}`);
    redisOptionsFromUrl(url);
    return { kind: 'standalone', url };
  }
  const tls = parseTls(env);
  const username = setting(env, REDIS_SETTINGS.username);
  const password = setting(env, REDIS_SETTINGS.password);
  if (sentinels !== undefined) {
    if (clusterNodes !== undefined) throw new ValidationError(REDIS_SETTINGS.clusterNodes, `cannot be combined with ${REDIS_SETTINGS.sentinels}; set one of them`);
    if (sentinelName === undefined) {
      throw new ValidationError(REDIS_SETTINGS.sentinelName, `is required with ${REDIS_SETTINGS.sentinels}: the name the sentinels monitor the primary under`);
    }
    const sentinelUsername = setting(env, REDIS_SETTINGS.sentinelUsername);
    const sentinelPassword = setting(env, REDIS_SETTINGS.sentinelPassword);
    const db = parseDb(env);
    return {
      kind: 'sentinel',
      sentinels: parseRedisNodes(sentinels, REDIS_SETTINGS.sentinels),
      name: sentinelName,
      ...(username !== undefined && { username }),
      ...(password !== undefined && { password }),
      ...(sentinelUsername !== undefined && { sentinelUsername }),
      ...(sentinelPassword !== undefined && { sentinelPassword }),
      ...(db !== undefined && { db }),
      ...(tls !== undefined && { tls }),
    };
  }
  refuseWith(env, 'no REDIS_SENTINELS', sentinelOnly, `it applies only with ${REDIS_SETTINGS.sentinels}`);
  if (clusterNodes !== undefined) {
    if (setting(env, REDIS_SETTINGS.db) !== undefined) throw new ValidationError(REDIS_SETTINGS.db, `cannot be combined with ${REDIS_SETTINGS.clusterNodes}: a Redis Cluster has database 0 only`);
    return {
      kind: 'cluster',
      nodes: parseRedisNodes(clusterNodes, REDIS_SETTINGS.clusterNodes),
      ...(username !== undefined && { username }),
      ...(password !== undefined && { password }),
      ...(tls !== undefined && { tls }),
    };
  }
  refuseWith(env, `the default ${DEFAULT_REDIS_URL}`, dataNodeSettings, `set ${REDIS_SETTINGS.url} (with the credentials in it), ${REDIS_SETTINGS.sentinels} or ${REDIS_SETTINGS.clusterNodes}`);
  return { kind: 'standalone', url: DEFAULT_REDIS_URL };
}

function describeNodes(nodes: readonly RedisNode[]): string {
  return nodes.map((node) => (node.host.includes(':') ? `[${node.host}]:${node.port}` : `${node.host}:${node.port}`)).join(',');
}

/**
 * A one-line description of a target for logs and error messages; passwords are never shown.
 * E.g. `redis://cache:6379`, `sentinel "mymaster" via 10.0.0.1:26379,10.0.0.2:26379`,
 * `cluster via 10.0.0.1:7000,10.0.0.2:7000`.
 */
export function describeRedisTarget(target: RedisTarget): string {
  if (target.kind === 'standalone') return redactRedisUrl(target.url);
  const tls = target.tls ? ' (TLS)' : '';
  const user = target.username === undefined ? '' : ` as ${target.username}`;
  if (target.kind === 'sentinel') {
    const db = target.db === undefined ? '' : ` db ${target.db}`;
    return `sentinel "${target.name}"${db} via ${describeNodes(target.sentinels)}${user}${tls}`;
  }
  return `cluster via ${describeNodes(target.nodes)}${user}${tls}`;
}

/** Whether a value is a connection already made rather than a URL or a {@link RedisTarget}. */
export function isRedisConnection(value: string | RedisTarget | RedisConnection): value is RedisConnection {
  return typeof value === 'object' && !('kind' in value);
}

/** Whether a connection is to a Redis Cluster. */
export function isCluster(connection: RedisConnection): connection is Cluster {
  return connection.isCluster;
}

/** A URL as a standalone target; a target as it is. */
export function toRedisTarget(target: string | RedisTarget): RedisTarget {
  return typeof target === 'string' ? { kind: 'standalone', url: target } : target;
}
