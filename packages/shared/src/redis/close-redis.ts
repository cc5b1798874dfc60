import { isCluster, type RedisConnection } from './redis-target';

/**
 * Closes a connection without waiting on an absent server: `QUIT` when it is up, else drops it
 * at once. (A `QUIT` sent while ioredis reconnects would wait in its offline queue until Redis
 * came back.) A Sentinel-managed connection also drops its subscriptions to the sentinels, which
 * `QUIT` leaves open.
 */
export async function closeRedis(redis: RedisConnection): Promise<void> {
  if (redis.status === 'end') {
    releaseSentinels(redis);
    return;
  }
  if (redis.status !== 'ready') {
    redis.disconnect();
    return;
  }
  try {
    await redis.quit();
    releaseSentinels(redis);
  } catch {
    redis.disconnect();
  }
}

/** Ends the `+switch-master` subscriptions a Sentinel-managed connection keeps beside it. */
function releaseSentinels(redis: RedisConnection): void {
  if (!isCluster(redis) && redis.options.sentinels?.length) redis.disconnect();
}
