import type { Redis } from 'ioredis';

/**
 * Closes a connection without waiting on an absent server: `QUIT` when it is up, else drops it
 * at once. (A `QUIT` sent while ioredis reconnects would wait in its offline queue until Redis
 * came back.)
 */
export async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status === 'end') return;
  if (redis.status !== 'ready') {
    redis.disconnect();
    return;
  }
  try {
    await redis.quit();
  } catch {
    redis.disconnect();
  }
}
