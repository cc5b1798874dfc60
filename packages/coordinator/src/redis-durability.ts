import { dataNodes, isCluster, nodeAddress, type RedisConnection } from '@sundial/shared';
import { ReplyError, type Redis } from 'ioredis';
import { parseRedisInfo } from './redis-info';

/** What Sundial loses when Redis loses its data. */
const AT_STAKE = 'every schedule, the run history and the queued jobs';

/** Whether an error is a reply from Redis (unknown command, no permission), not a broken connection. */
function isReply(error: unknown): error is Error {
  return error instanceof ReplyError;
}

/** An INFO section's fields, or the reply error when the server refuses INFO. */
async function readInfo(redis: Redis, section: string): Promise<Map<string, string> | Error> {
  try {
    return parseRedisInfo(await redis.info(section));
  } catch (error) {
    if (isReply(error)) return error;
    throw error;
  }
}

/** A configuration parameter's value, or the reply error when CONFIG is forbidden (managed Redis). */
async function readConfig(redis: Redis, parameter: string): Promise<string | Error> {
  try {
    const reply = await redis.config('GET', parameter);
    const value: unknown = Array.isArray(reply) ? reply[1] : undefined;
    return typeof value === 'string' ? value : new Error(`CONFIG GET ${parameter} returned nothing`);
  } catch (error) {
    if (isReply(error)) return error;
    throw error;
  }
}

async function persistenceWarning(redis: Redis): Promise<string | undefined> {
  const info = await readInfo(redis, 'persistence');
  if (info instanceof Error) {
    return (
      `Sundial could not check whether Redis persists its data (INFO persistence failed: ${info.message.trim()}). ` +
      `If Redis keeps nothing on disk, a Redis restart loses ${AT_STAKE}. Make sure the append-only file is on (appendonly yes).`
    );
  }
  if (info.get('aof_enabled') === '1') return undefined;
  const save = await readConfig(redis, 'save');
  if (save instanceof Error) {
    return (
      `Redis has the append-only file off (appendonly no) and Sundial could not read its RDB snapshot settings ` +
      `(CONFIG GET save failed: ${save.message.trim()}). If snapshots are off too, a Redis restart loses ${AT_STAKE}. ` +
      'Turn on the append-only file: "appendonly yes" in redis.conf, or your provider\'s persistence setting.'
    );
  }
  if (save.trim() !== '') {
    return (
      `Redis keeps only RDB snapshots (appendonly no, save "${save.trim()}"): a crash loses every change since the last ` +
      `snapshot, and with them fire times already enqueued may fire again. Turn on the append-only file ("appendonly yes", ` +
      '"appendfsync everysec" or "always") for the guarantees described in docs/concepts.md.'
    );
  }
  return (
    `Redis persistence is off (appendonly no, and no RDB save points): a Redis restart loses ${AT_STAKE}. ` +
    'Turn on the append-only file: "appendonly yes" in redis.conf (or CONFIG SET appendonly yes, then CONFIG REWRITE), ' +
    'with "appendfsync everysec" or "always".'
  );
}

async function evictionWarning(redis: Redis): Promise<string | undefined> {
  const info = await readInfo(redis, 'memory');
  let policy = info instanceof Error ? undefined : info.get('maxmemory_policy');
  if (policy === undefined) {
    const configured = await readConfig(redis, 'maxmemory-policy');
    if (configured instanceof Error) {
      const reason = (info instanceof Error ? info.message : configured.message).trim();
      return (
        `Sundial could not read the Redis eviction policy (${reason}). Unless it is "noeviction", Redis may delete ` +
        `schedules, leader and fencing keys or queued jobs when memory runs out. Make sure "maxmemory-policy noeviction" is set.`
      );
    }
    policy = configured;
  }
  if (policy === 'noeviction') return undefined;
  return (
    `Redis evicts keys when memory runs out (maxmemory-policy ${policy}): it may silently delete schedules, run history ` +
    'and queued jobs, and the leader lease and fencing keys that prevent duplicate runs. Set "maxmemory-policy noeviction" ' +
    '(in redis.conf, or CONFIG SET maxmemory-policy noeviction) so that Redis refuses writes instead of losing data.'
  );
}

async function nodeWarnings(redis: Redis): Promise<string[]> {
  const warnings = [await persistenceWarning(redis), await evictionWarning(redis)];
  return warnings.filter((warning): warning is string => warning !== undefined);
}

/**
 * Checks that Redis keeps Sundial's data: warns when the append-only file is off (whether or not
 * RDB snapshots are taken) and when the eviction policy is other than `noeviction`. Each warning
 * says what is wrong, what can be lost and how to fix it. A Redis that forbids `CONFIG` (as some
 * managed services do) gets a warning about what could not be checked instead of an error. On a
 * cluster every master is checked, and a warning names the masters it applies to. (With Sentinel
 * the primary is checked; a replica promoted later keeps its own settings.)
 *
 * @returns human-readable warnings, empty when Redis is set up to keep the data
 * @throws the connection's error when Redis cannot be reached
 */
export async function checkRedisDurability(connection: RedisConnection): Promise<string[]> {
  if (!isCluster(connection)) return nodeWarnings(connection);
  const mastersByWarning = new Map<string, string[]>();
  for (const node of await dataNodes(connection)) {
    for (const warning of await nodeWarnings(node)) mastersByWarning.set(warning, [...(mastersByWarning.get(warning) ?? []), nodeAddress(node)]);
  }
  return [...mastersByWarning].map(([warning, masters]) => `Redis Cluster master${masters.length > 1 ? 's' : ''} ${masters.join(', ')}: ${warning}`);
}
