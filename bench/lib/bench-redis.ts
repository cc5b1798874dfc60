import { randomBytes } from 'node:crypto';
import { startOwnRedisServer } from '@sundial/testing';
import { Redis } from 'ioredis';
import { BenchPreconditionError } from './bench-error';

/** The Redis a benchmark run measures on. */
export interface BenchRedis {
  /** `redis://host:port` */
  url: string;
  /** Whether the run started this server itself (then it may do anything with it and stops it). */
  owned: boolean;
  /** The server's version, e.g. "7.0.15". */
  version: string;
  /**
   * A key prefix unique to this run and `name`, valid as a Sundial namespace and a BullMQ prefix,
   * e.g. "bench-precision-sundial-3fa2c1". All keys a scenario writes carry one of these.
   */
  keyPrefixFor(name: string): string;
  /** Deletes the keys that contain `prefix` (one from {@link keyPrefixFor}); returns how many. */
  deleteKeysOf(prefix: string): Promise<number>;
  /**
   * Deletes everything under `prefix` between measurements: on an owned server FLUSHALL (it holds
   * nothing else, and that is far faster than scanning millions of job keys), else {@link deleteKeysOf}.
   */
  discard(prefix: string): Promise<void>;
  /** A new connection to this Redis; the caller closes it. */
  connect(options?: { maxRetriesPerRequest?: number | null }): Redis;
  /** Stops the server when owned; otherwise only closes this harness's connection. */
  stop(): Promise<void>;
}

const PING_TIMEOUT_MS = 3_000;
const SCAN_COUNT = 1_000;
const DELETE_BATCH = 500;

function describeError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
}

/** PINGs `url` once; returns the server version, or throws a one-line precondition error. */
async function probe(url: string, source: string): Promise<string> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: PING_TIMEOUT_MS, retryStrategy: () => null, enableOfflineQueue: false });
  // The 'error' event carries the cause (e.g. ECONNREFUSED); the rejected command says only "Connection is closed".
  let cause: unknown;
  redis.on('error', (error: unknown) => (cause ??= error));
  try {
    await redis.connect();
    const pong = await redis.ping();
    if (pong !== 'PONG') throw new Error(`PING answered ${JSON.stringify(pong)}`);
    const info = await redis.info('server');
    const version = /redis_version:([^\r\n]+)/.exec(info)?.[1] ?? 'unknown';
    return version;
  } catch (error) {
    throw new BenchPreconditionError(`Redis at ${url} (${source}) is not reachable: ${describeError(cause ?? error)}`);
  } finally {
    redis.disconnect();
  }
}

async function deleteKeysMatching(url: string, prefix: string): Promise<number> {
  if (!/^bench-[A-Za-z0-9._-]+-[0-9a-f]{6,}$/.test(prefix)) throw new Error(`refusing to delete keys of ${JSON.stringify(prefix)}: not a bench key prefix`);
  const redis = new Redis(url, { maxRetriesPerRequest: 3 });
  try {
    let deleted = 0;
    let cursor = '0';
    let batch: string[] = [];
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `*${prefix}*`, 'COUNT', SCAN_COUNT);
      cursor = next;
      batch.push(...keys);
      if (batch.length >= DELETE_BATCH) {
        deleted += await redis.unlink(...batch);
        batch = [];
      }
    } while (cursor !== '0');
    if (batch.length > 0) deleted += await redis.unlink(...batch);
    return deleted;
  } finally {
    redis.disconnect();
  }
}

/**
 * The Redis to benchmark on. Without `REDIS_URL` in `env` it starts a `redis-server` of its own
 * (no persistence, a temp directory) and stops it in `stop()`. With `REDIS_URL` it uses that
 * server, never flushes it, and scenarios touch only keys under their {@link BenchRedis.keyPrefixFor} prefixes.
 *
 * @throws BenchPreconditionError when the server does not answer PING or cannot be started
 */
export async function acquireBenchRedis(env: NodeJS.ProcessEnv = process.env): Promise<BenchRedis> {
  const runToken = randomBytes(3).toString('hex');
  const given = env.REDIS_URL?.trim();
  let url: string;
  let owned: boolean;
  let stopServer: () => Promise<void>;
  if (given) {
    url = given;
    owned = false;
    stopServer = async () => undefined;
  } else {
    let server;
    try {
      server = await startOwnRedisServer();
    } catch (error) {
      throw new BenchPreconditionError(`could not start a redis-server of its own: ${describeError(error)} (or set REDIS_URL to a server to use)`);
    }
    url = server.url;
    owned = true;
    stopServer = () => server.stop();
  }
  let version: string;
  try {
    version = await probe(url, owned ? 'started by the benchmark' : 'from REDIS_URL');
  } catch (error) {
    await stopServer();
    throw error;
  }
  return {
    url,
    owned,
    version,
    keyPrefixFor: (name) => `bench-${name}-${runToken}`,
    deleteKeysOf: (prefix) => deleteKeysMatching(url, prefix),
    discard: async (prefix) => {
      if (!owned) {
        await deleteKeysMatching(url, prefix);
        return;
      }
      const redis = new Redis(url, { maxRetriesPerRequest: 3 });
      try {
        await redis.flushall();
      } finally {
        redis.disconnect();
      }
    },
    connect: (options = {}) => new Redis(url, { maxRetriesPerRequest: options.maxRetriesPerRequest === undefined ? null : options.maxRetriesPerRequest }),
    stop: stopServer,
  };
}
