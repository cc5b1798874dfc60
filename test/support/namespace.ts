import { randomBytes } from 'node:crypto';
import { scanKeys, type RedisConnection } from '@sundial/shared';

/** The environment variable through which the global setup passes the test Redis URL. */
export const TEST_REDIS_URL_ENV = 'SUNDIAL_TEST_REDIS_URL';

/**
 * The URL of the Redis the test run shares: the server the global setup started, or `REDIS_URL`
 * when no `redis-server` is on the PATH. Tests use it only through their own namespaces.
 *
 * @throws when neither is available, saying how to provide one
 */
export function testRedisUrl(): string {
  const url = process.env[TEST_REDIS_URL_ENV];
  if (!url) {
    throw new Error(
      'this test needs Redis: install redis-server (the tests start their own on a free port) ' +
        'or set REDIS_URL to a Redis the tests may use (they only touch keys of their own namespaces)',
    );
  }
  return url;
}

const PREFIX = /^[A-Za-z0-9][A-Za-z0-9._-]{0,40}$/;

/**
 * A namespace no other test uses: `<prefix>-<12 random hex digits>`, a valid Sundial namespace
 * and safe in key names and glob patterns.
 */
export function uniqueNamespace(prefix = 'test'): string {
  if (!PREFIX.test(prefix)) throw new Error(`namespace prefix "${prefix}" must be 1-41 letters, digits or ._- starting with a letter or digit`);
  return `${prefix}-${randomBytes(6).toString('hex')}`;
}

/** Escapes the characters Redis glob patterns give a meaning. */
function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, (char) => `\\${char}`);
}

/**
 * Deletes the keys of one namespace (`sundial:{<namespace>}:*`, BullMQ's included) and nothing
 * else, so it is safe on a Redis shared with other tests or other users.
 *
 * @returns how many keys were deleted
 */
export async function deleteNamespace(redis: RedisConnection, namespace: string): Promise<number> {
  if (namespace === '') throw new Error('deleteNamespace needs a namespace');
  let deleted = 0;
  // On a cluster every master is scanned; the namespace's keys share one slot, so UNLINK never crosses slots.
  await scanKeys(redis, `sundial:{${escapeGlob(namespace)}}:*`, async (keys, node) => {
    deleted += await node.unlink(...keys);
  });
  return deleted;
}
