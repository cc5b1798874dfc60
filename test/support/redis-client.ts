import type { RedisConnection } from '@sundial/shared';

/**
 * Closes a test's Redis client without leaving anything that keeps the test process alive:
 * `QUIT` when it is connected, nothing when it has already ended. (ioredis's `disconnect()` on a
 * client whose connection is already closed leaves a 2-second timer running.)
 */
export async function closeClient(redis: RedisConnection): Promise<void> {
  if (redis.status === 'end') return;
  if (redis.status === 'ready') {
    try {
      await redis.quit();
      return;
    } catch {
      // The connection broke meanwhile; see below.
    }
  }
  // QUIT may have failed because the connection ended meanwhile.
  const status: string = redis.status;
  if (status !== 'end') redis.disconnect();
}
