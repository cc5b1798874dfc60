import type { Redis } from 'ioredis';

/** A source of the current time, injected so tests and the cluster clock control it. */
export interface Clock {
  /** The current instant in epoch milliseconds. */
  now(): number;
}

/** The local system clock. */
export const systemClock: Clock = { now: () => Date.now() };

/** The time of a Redis server in epoch milliseconds (`TIME`). */
export async function redisTimeMs(redis: Redis): Promise<number> {
  const [seconds, micros] = await redis.time();
  return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
}

/**
 * The cluster's one clock: local time corrected by the measured offset of Redis `TIME`, so every
 * coordinator decides fire times on the same time base without a round trip per decision.
 */
export class RedisClock implements Clock {
  private skew = 0;

  constructor(private readonly redis: Redis) {}

  /** Redis time minus local time, in ms, as last measured. */
  get skewMs(): number {
    return this.skew;
  }

  /** Measures the offset again, taking the round trip's midpoint as the instant Redis answered. */
  async sync(): Promise<number> {
    const before = Date.now();
    const redisMs = await redisTimeMs(this.redis);
    const after = Date.now();
    this.skew = redisMs - Math.round((before + after) / 2);
    return this.skew;
  }

  now(): number {
    return Date.now() + this.skew;
  }
}
