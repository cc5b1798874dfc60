import { RedisClock, createRedisConnection, earliestNow, type RedisConnection } from '@sundial/shared';
import { testRedisUrl } from '../support/namespace';
import { closeClient } from '../support/redis-client';

// The cluster clock against a real Redis: its best estimate, and the lower bound that waits which
// must not end early (held runs, due fire times) compare with.

let redis: RedisConnection;

beforeEach(() => {
  redis = createRedisConnection(testRedisUrl());
});

afterEach(async () => {
  await closeClient(redis);
});

describe('RedisClock', () => {
  it('is the local clock until it has read Redis time', () => {
    const clock = new RedisClock(redis);
    expect(clock.errorBoundMs).toBe(0);
    expect(Math.abs(earliestNow(clock) - Date.now())).toBeLessThanOrEqual(1);
  });

  it('keeps its earliest instant below its estimate by the error bound of its best reading', async () => {
    const clock = new RedisClock(redis);
    for (let reading = 0; reading < 5; reading++) await clock.sync();
    // At least the resolution of whole-ms readings and the rounding of the offset.
    expect(clock.errorBoundMs).toBeGreaterThanOrEqual(1.5);
    const gap = clock.now() - clock.earliestNow();
    expect(gap).toBeGreaterThanOrEqual(Math.floor(clock.errorBoundMs));
    expect(gap).toBeLessThanOrEqual(Math.ceil(clock.errorBoundMs) + 1);
    // Redis runs on this machine, on the same clock: when it answers, its time has passed the earliest instant taken before.
    const earliest = clock.earliestNow();
    const [seconds, micros] = await redis.time();
    expect(Number(seconds) * 1_000 + Number(micros) / 1_000).toBeGreaterThanOrEqual(earliest);
  });
});
