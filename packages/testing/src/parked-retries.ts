import type { RetryWait } from '@sundial/worker';

/** A run waiting for its next attempt until a virtual instant. */
export interface ParkedRetry {
  readonly runId: string;
  readonly queue: string;
  /** When its next attempt is due, in virtual time. */
  readonly dueMs: number;
}

/**
 * How long a parked retry's BullMQ job stays delayed in real time: far longer than any test, so
 * only a promotion by the environment makes it runnable.
 */
export const PARKED_RETRY_MS = 24 * 3_600_000;

/**
 * The retries of an environment's worker. The worker asks where a retry waits
 * (`WorkerOptions.retryDueAt`); the answer parks its job in BullMQ's delayed set for a day of real
 * time, and the retry is remembered with its due time in virtual time (`now + delay`). The
 * environment promotes the job when virtual time reaches it.
 */
export class ParkedRetries {
  private readonly byRun = new Map<string, ParkedRetry>();

  constructor(private readonly virtualNow: () => number) {}

  /** For `WorkerOptions.retryDueAt`: remembers the retry and returns the real timestamp that parks its job. */
  readonly park = (wait: RetryWait): number => {
    this.byRun.set(wait.runId, { runId: wait.runId, queue: wait.queue, dueMs: this.virtualNow() + wait.delayMs });
    return Date.now() + PARKED_RETRY_MS;
  };

  /** Whether the run's job waits here. */
  has(runId: string): boolean {
    return this.byRun.has(runId);
  }

  /** The earliest due time of a parked retry. */
  earliestDueMs(): number | undefined {
    let earliest: number | undefined;
    for (const retry of this.byRun.values()) if (earliest === undefined || retry.dueMs < earliest) earliest = retry.dueMs;
    return earliest;
  }

  /** Removes and returns the retries due at or before `nowMs`, earliest first. */
  takeDue(nowMs: number): ParkedRetry[] {
    const due = [...this.byRun.values()].filter((retry) => retry.dueMs <= nowMs).sort((a, b) => a.dueMs - b.dueMs || a.runId.localeCompare(b.runId));
    for (const retry of due) this.byRun.delete(retry.runId);
    return due;
  }

  /** Forgets a retry whose job is gone (cancelled, removed). */
  forget(runId: string): void {
    this.byRun.delete(runId);
  }
}
