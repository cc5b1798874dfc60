import type { Logger } from 'pino';

/** How long to wait before attempt n+1, given the failed attempt n (1-based) and its error. */
export type BackoffFunction = (attempt: number, error: Error) => number;

/** Retry settings of a task. */
export interface RetryPolicy {
  /** Attempts in total, the first included. @defaultValue 1 (no retry) */
  attempts: number;
  /** `fixed`: `delayMs` each time; `exponential`: `delayMs * 2^(attempt-1)`; or a function. @defaultValue `"exponential"` */
  backoff?: 'fixed' | 'exponential' | BackoffFunction;
  /** The base delay. @defaultValue 1,000 ms */
  delayMs?: number;
  /** The longest delay, jitter included; at least `delayMs`. @defaultValue 3,600,000 ms */
  maxDelayMs?: number;
  /** Randomises each delay by up to this fraction (0-1) of itself, either way. @defaultValue 0 */
  jitter?: number;
}

/** Where a task's handler runs. */
export type ExecutorKind = 'inline' | 'thread' | 'process';

/** What a handler receives for one attempt of one run. */
export interface TaskContext<Data = unknown> {
  /** `<scheduleId>@<fireTimeMs>` (or `@now-`, `@backfill-`): the same on every attempt, for idempotency. */
  readonly runId: string;
  readonly scheduleId: string;
  /** The nominal fire time. */
  readonly fireTime: Date;
  /** 1 on the first try. */
  readonly attempt: number;
  /** The schedule's data. */
  readonly data: Data;
  /** Aborted on timeout, cancellation (`overlap: cancel-previous`) and worker shutdown past the grace period. */
  readonly signal: AbortSignal;
  /** A child logger carrying the run id, schedule id, task and attempt. */
  readonly logger: Logger;
  /** Reports progress (a number 0-100 or a JSON object), visible in the run's job. */
  progress(value: number | object): Promise<void>;
}

/** A task handler; its return value (JSON) is stored as the run's result. */
export type TaskHandler<Data = unknown, Result = unknown> = (context: TaskContext<Data>) => Promise<Result> | Result;

/** A task as defined by `defineTask` or `@task`: at least a name and a handler. */
export interface TaskDefinition<Data = unknown, Result = unknown> {
  /** Unique among the tasks of a worker; schedules refer to it. */
  readonly name: string;
  /**
   * Runs one attempt. Declared as a method so that a definition with typed data is assignable to
   * `TaskDefinition` (method parameters are compared bivariantly); a registry holds tasks of many
   * data types.
   */
  handler(context: TaskContext<Data>): Promise<Result> | Result;
  /** The queue it is served from. @defaultValue the worker's (`default`) */
  readonly queue?: string;
  /** Runs of this task at once in one worker process. @defaultValue the worker's concurrency */
  readonly concurrency?: number;
  /** Runs of this task at once across the cluster. @defaultValue unlimited */
  readonly globalConcurrency?: number;
  readonly retry?: RetryPolicy;
  /** Time limit of each attempt. @defaultValue none */
  readonly timeoutMs?: number;
  /** @defaultValue `"inline"` */
  readonly executor?: ExecutorKind;
  /**
   * For `thread` and `process` executors: the module file that exports this task (absolute path),
   * so the sandbox can load the handler. Filled in by the module loader of `sundial-worker`.
   */
  readonly modulePath?: string;
}

/** Throw (or wrap an error in) this to fail a run without retrying it. */
export class UnrecoverableError extends Error {
  readonly code = 'UNRECOVERABLE';

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'UnrecoverableError';
  }
}

/** An attempt ran past its `timeoutMs`; its signal was aborted. */
export class TaskTimeoutError extends Error {
  readonly code = 'TASK_TIMEOUT';

  constructor(readonly timeoutMs: number) {
    super(`the attempt took longer than its ${timeoutMs} ms time limit`);
    this.name = 'TaskTimeoutError';
  }
}
