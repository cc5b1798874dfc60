import { TaskTimeoutError, UnrecoverableError } from '../task-definition';

/** A run's signal was aborted because it was cancelled (the coordinator published its run id). Not retried. */
export class RunCancelledError extends Error {
  readonly code = 'RUN_CANCELLED';

  constructor(readonly runId: string) {
    super(`run "${runId}" was cancelled`);
    this.name = 'RunCancelledError';
  }
}

/**
 * A run's signal was aborted because its worker shut down and the grace period ran out. The run
 * goes back to its queue for another worker, as if its worker had died.
 */
export class WorkerShutdownError extends Error {
  readonly code = 'WORKER_SHUTDOWN';

  constructor(readonly graceMs: number) {
    super(`the worker shut down and the run did not end within the ${graceMs} ms grace period`);
    this.name = 'WorkerShutdownError';
  }
}

/** How a failed attempt is treated. */
export type FailureKind = 'retryable' | 'unrecoverable' | 'cancelled' | 'shutdown';

/** Whether an error marks its run as not to be retried: `UnrecoverableError`, by class or by its `code`. */
export function isUnrecoverable(error: unknown): boolean {
  return error instanceof UnrecoverableError || (typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'UNRECOVERABLE');
}

/** Classifies the error a failed attempt ended with (the abort reason when its signal was aborted). */
export function failureKind(error: unknown): FailureKind {
  if (error instanceof RunCancelledError) return 'cancelled';
  if (error instanceof WorkerShutdownError) return 'shutdown';
  if (error instanceof TaskTimeoutError) return 'retryable';
  return isUnrecoverable(error) ? 'unrecoverable' : 'retryable';
}

/** An error as the run record shows it: `<name>: <message>`. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message ? `${error.name}: ${error.message}` : error.name;
  return `non-error thrown: ${String(error)}`;
}
