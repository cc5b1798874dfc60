import { performance } from 'node:perf_hooks';
import { ClockSamples } from './clock-samples';
import { isCluster, type RedisConnection } from './redis/redis-target';

/** A source of the current time, injected so tests and the cluster clock control it. */
export interface Clock {
  /** The current instant in epoch milliseconds. */
  now(): number;
  /**
   * The earliest the current instant may be, given how well the clock knows the time; what a wait
   * that must not end before an instant compares with. When absent, {@link Clock.now}.
   */
  earliestNow?(): number;
}

/** The local system clock. */
export const systemClock: Clock = { now: () => Date.now() };

/** The earliest the current instant may be on `clock` (see {@link Clock.earliestNow}). */
export function earliestNow(clock: Clock): number {
  return clock.earliestNow?.() ?? clock.now();
}

/**
 * What a reading of `TIME` may be off by beyond its round trip: the local send time is read in
 * whole ms (up to 1 ms early, which makes the offset up to 1 ms too large), and the offset kept
 * is rounded to the ms.
 */
const READING_RESOLUTION_MS = 1.5;

/** `TIME` from inside a script, so that a cluster routes it by the key like any keyed command. */
const TIME_AT_KEY = "return redis.call('TIME')";

/**
 * The time of a Redis server in epoch milliseconds (`TIME`). On a cluster, `routingKey` picks the
 * node: the master that holds the key's slot (the one that holds the namespace's lease), so every
 * process of a namespace reads the same server's clock; without it, ioredis picks any node.
 */
export async function redisTimeMs(redis: RedisConnection, routingKey?: string): Promise<number> {
  const [seconds, micros] = routingKey !== undefined && isCluster(redis) ? ((await redis.eval(TIME_AT_KEY, 1, routingKey)) as [string, string]) : await redis.time();
  return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
}

/**
 * The cluster's one clock: local time corrected by the measured offset of Redis `TIME`, so every
 * coordinator decides fire times on the same time base without a round trip per decision.
 */
export class RedisClock implements Clock {
  private skew = 0;
  private boundMs = 0;
  private readonly samples = new ClockSamples();

  /**
   * @param redis - the connection to read `TIME` on
   * @param routingKey - on a cluster, a key of the namespace: `TIME` is read on its master
   */
  constructor(
    private readonly redis: RedisConnection,
    private readonly routingKey?: string,
  ) {}

  /** Redis time minus local time, in ms, as last measured. */
  get skewMs(): number {
    return this.skew;
  }

  /** How far {@link RedisClock.now} may be from Redis time, in ms, as last measured (0 before any reading). */
  get errorBoundMs(): number {
    return this.boundMs;
  }

  /**
   * Reads `TIME` again, taking the round trip's midpoint as the instant Redis answered, and keeps
   * as the offset that of the recent reading with the smallest error bound (see {@link ClockSamples}).
   */
  async sync(): Promise<number> {
    const wallBefore = Date.now();
    const before = performance.now();
    const redisMs = await redisTimeMs(this.redis, this.routingKey);
    const roundTripMs = performance.now() - before;
    this.samples.add({ offsetMs: redisMs - (wallBefore + roundTripMs / 2), roundTripMs, takenAtMs: before });
    const estimate = this.samples.estimateAt(before);
    this.skew = Math.round(estimate.offsetMs);
    this.boundMs = estimate.boundMs + READING_RESOLUTION_MS;
    return this.skew;
  }

  now(): number {
    return Date.now() + this.skew;
  }

  /** {@link RedisClock.now} less its error bound: Redis time has reached at least this. */
  earliestNow(): number {
    return Math.floor(Date.now() + this.skew - this.boundMs);
  }
}
