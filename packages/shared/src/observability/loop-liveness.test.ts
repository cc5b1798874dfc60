import { LoopLiveness, MIN_STUCK_AFTER_MS } from './loop-liveness';

describe('LoopLiveness', () => {
  it.each([
    ['a fast loop waits the minimum', 100, MIN_STUCK_AFTER_MS],
    ['a slow loop waits ten intervals', 5_000, 50_000],
  ])('%s', (_name, intervalMs, stuckAfterMs) => {
    let now = 1_000;
    const liveness = new LoopLiveness(intervalMs, () => now);
    expect(liveness.stuckAfterMs).toBe(stuckAfterMs);
    now += stuckAfterMs;
    expect(liveness.alive()).toBe(true);
    now += 1;
    expect(liveness.alive()).toBe(false);
    liveness.tick();
    expect(liveness.alive()).toBe(true);
  });
});
