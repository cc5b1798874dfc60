import type { Redis } from 'ioredis';

const SETTLE_POLL_MS = 50;
const SETTLE_TIMEOUT_MS = 30_000;

/**
 * `used_memory` of `INFO memory`, in bytes, read once Redis has no objects left to free in the
 * background (`lazyfree_pending_objects` 0), so keys deleted with UNLINK before do not skew a delta.
 */
export async function usedMemory(redis: Redis): Promise<number> {
  const deadline = Date.now() + SETTLE_TIMEOUT_MS;
  for (;;) {
    const info = await redis.info('memory');
    const pending = Number(/lazyfree_pending_objects:(\d+)/.exec(info)?.[1] ?? 0);
    if (pending === 0 || Date.now() > deadline) return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? Number.NaN);
    await new Promise((resolve) => setTimeout(resolve, SETTLE_POLL_MS));
  }
}
