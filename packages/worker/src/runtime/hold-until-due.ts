import { earliestNow, type Clock } from '@sundial/shared';

/** How a hold ended: the run's time came, the run's signal was aborted (a cancel), or the worker shuts down. */
export type HoldOutcome = 'due' | 'aborted' | 'shutdown';

/**
 * Waits until `dueAtMs` on `clock` (the cluster's time), or until `run` (the run's own signal) or
 * `shutdown` is aborted, whichever comes first. Resolves at once when the time has come already.
 * "Come" means even the earliest the clock may be ({@link earliestNow}) has reached it: a held run
 * never starts before its time because the clock's offset to Redis was measured a little high.
 */
export function holdUntilDue(dueAtMs: number, clock: Clock, run: AbortSignal, shutdown: AbortSignal): Promise<HoldOutcome> {
  if (shutdown.aborted) return Promise.resolve('shutdown');
  if (run.aborted) return Promise.resolve('aborted');
  if (earliestNow(clock) >= dueAtMs) return Promise.resolve('due');
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const finish = (outcome: HoldOutcome): void => {
      clearTimeout(timer);
      run.removeEventListener('abort', onRun);
      shutdown.removeEventListener('abort', onShutdown);
      resolve(outcome);
    };
    const onRun = (): void => finish('aborted');
    const onShutdown = (): void => finish('shutdown');
    // A timer may fire a little before the clock (corrected by the offset to Redis) reaches the time: wait again for the rest.
    const arm = (): void => {
      const remaining = dueAtMs - earliestNow(clock);
      if (remaining <= 0) finish('due');
      else timer = setTimeout(arm, remaining);
    };
    run.addEventListener('abort', onRun, { once: true });
    shutdown.addEventListener('abort', onShutdown, { once: true });
    arm();
  });
}

/** The time a run's job is due from its `fireAt`, or undefined when the job carries none (due at once). */
export function dueAtOf(fireAt: string | undefined): number | undefined {
  if (fireAt === undefined) return undefined;
  const ms = Date.parse(fireAt);
  return Number.isNaN(ms) ? undefined : ms;
}
