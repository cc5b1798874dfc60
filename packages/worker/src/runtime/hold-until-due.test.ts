import type { Clock } from '@sundial/shared';
import { holdUntilDue } from './hold-until-due';

/** A clock 10 ms ahead of the local one that knows it may be up to 4 ms ahead of the true time. */
const uncertainClock: Clock = { now: () => Date.now() + 10, earliestNow: () => Date.now() + 10 - 4 };

describe('holdUntilDue', () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => jest.useRealTimers());

  it('ends only once even the earliest the clock may be has reached the due time', async () => {
    const outcome = jest.fn();
    const dueAtMs = uncertainClock.now() + 100;
    void holdUntilDue(dueAtMs, uncertainClock, new AbortController().signal, new AbortController().signal).then(outcome);
    // The best estimate reaches the due time here, its lower bound 4 ms later.
    await jest.advanceTimersByTimeAsync(100);
    expect(outcome).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(3);
    expect(outcome).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(1);
    expect(outcome).toHaveBeenCalledWith('due');
  });

  it('ends at the due time on a clock that gives no bound', async () => {
    const outcome = jest.fn();
    const clock: Clock = { now: () => Date.now() };
    void holdUntilDue(Date.now() + 50, clock, new AbortController().signal, new AbortController().signal).then(outcome);
    await jest.advanceTimersByTimeAsync(49);
    expect(outcome).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(1);
    expect(outcome).toHaveBeenCalledWith('due');
  });

  it('ends early when the run is cancelled or the worker shuts down', async () => {
    const run = new AbortController();
    const shutdown = new AbortController();
    const held = holdUntilDue(Date.now() + 60_000, uncertainClock, run.signal, shutdown.signal);
    run.abort();
    await expect(held).resolves.toBe('aborted');
    const other = holdUntilDue(Date.now() + 60_000, uncertainClock, new AbortController().signal, shutdown.signal);
    shutdown.abort();
    await expect(other).resolves.toBe('shutdown');
  });
});
