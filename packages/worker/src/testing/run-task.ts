import { DURATION_FORMS, ValidationError, parseDuration, scheduledRunId } from '@sundial/shared';
import { InlineExecutor } from '../executors/inline-executor';
import { validateTaskDefinition } from '../define-task';
import { describeError, failureKind } from '../runtime/abort-reasons';
import { attemptLogger, runAttempt, taskContext } from '../runtime/attempt';
import { resolveRunSettings, retryRemains } from '../runtime/run-settings';
import { backoffDelayMs } from '../task-retry';
import { TaskTimeoutError, type TaskContext, type TaskDefinition } from '../task-definition';
import { WORKER_DEFAULTS } from '../worker-options';
import { createRecordingLogger, type TaskLogRecord } from './recording-logger';

/** Options of {@link runTask}; all optional. */
export interface RunTaskOptions<Data = unknown> {
  /** The schedule's data the handler gets as `context.data`. @defaultValue `{}`, a schedule's default */
  data?: Data;
  /** The attempt number (1 on the first try), to test what a handler does on a retry. @defaultValue 1 */
  attempt?: number;
  /** The nominal fire time: a Date, epoch milliseconds or ISO-8601 text. @defaultValue now (`Date.now()`, so fake timers set it) */
  fireTime?: Date | number | string;
  /** @defaultValue the task's name */
  scheduleId?: string;
  /** @defaultValue `<scheduleId>@<fireTime ms>`, the id of a scheduled fire */
  runId?: string;
  /**
   * Aborts the attempt as a cancellation or shutdown would: the handler's signal aborts with the
   * same reason and the attempt fails with it at once. Abort it with a `RunCancelledError` to
   * test a cancellation (not retried).
   */
  signal?: AbortSignal;
  /**
   * The attempt's time limit, as a schedule's `timeout` overrides the task's `timeoutMs`:
   * milliseconds or a duration such as `"30s"`.
   *
   * @defaultValue the task's `timeoutMs`; none when it has none
   */
  timeout?: number | string;
}

/** What every outcome of {@link runTask} carries besides how it ended. */
export interface RunTaskRecords<Data = unknown> {
  /**
   * Each line the handler logged through `context.logger` (every level, `trace` up), in order,
   * without the fields the worker adds to every line of an attempt (`runId`, `scheduleId`,
   * `task`, `attempt`).
   */
  readonly logs: readonly TaskLogRecord[];
  /** Each value the handler passed to `context.progress()`, in order (a copy as JSON would keep it). */
  readonly progress: readonly (number | object)[];
  /** The context the handler was called with. */
  readonly context: TaskContext<Data>;
}

/** The handler returned (or resolved with) `result`: the run would succeed. */
export interface RunTaskSucceeded<Result, Data = unknown> extends RunTaskRecords<Data> {
  readonly status: 'succeeded';
  readonly result: Result;
}

/** The attempt failed: the handler threw or rejected, ran past its time limit, or was aborted. */
export interface RunTaskFailed<Data = unknown> extends RunTaskRecords<Data> {
  readonly status: 'failed';
  /** What the attempt failed with: the handler's error, or the abort reason when its signal aborted (a `TaskTimeoutError` past the time limit). */
  readonly error: unknown;
  /** The error as a run record shows it: `<name>: <message>`. */
  readonly message: string;
  /** Whether it ran past its time limit. */
  readonly timedOut: boolean;
  /**
   * Whether a worker would try such a failure again: false for an `UnrecoverableError` (or an
   * error with `code: 'UNRECOVERABLE'`) and for a cancellation, true otherwise (timeouts included).
   */
  readonly retryable: boolean;
  /** Whether a worker would try again after this attempt: retryable, and the task's retry policy has attempts left after `attempt`. */
  readonly willRetry: boolean;
  /** When it would: the delay before the next attempt under the task's backoff, without jitter; else undefined. */
  readonly retryDelayMs: number | undefined;
}

/** How {@link runTask} found the attempt to end. Branch on `status`. */
export type RunTaskOutcome<Result = unknown, Data = unknown> = RunTaskSucceeded<Result, Data> | RunTaskFailed<Data>;

function resolveFireTime(value: Date | number | string | undefined): Date {
  if (value === undefined) return new Date(Date.now());
  const fireTime = new Date(value);
  if (Number.isNaN(fireTime.getTime())) throw new ValidationError('fireTime', `expected a Date, epoch milliseconds or ISO-8601 text, got ${JSON.stringify(value)}`);
  return fireTime;
}

function resolveTimeout(value: number | string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = parseDuration(value);
  if (ms === undefined || !Number.isInteger(ms) || ms < 1) throw new ValidationError('timeout', `expected a positive duration (${DURATION_FORMS}), got ${JSON.stringify(value)}`);
  return ms;
}

function resolveAttempt(value: number | undefined): number {
  const attempt = value ?? 1;
  if (!Number.isSafeInteger(attempt) || attempt < 1) throw new ValidationError('attempt', `expected a whole number of at least 1, got ${JSON.stringify(value)}`);
  return attempt;
}

function resolveId(field: 'scheduleId' | 'runId', value: unknown, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || value === '') throw new ValidationError(field, `expected a non-empty string, got ${JSON.stringify(value)}`);
  return value;
}

/**
 * Calls a task's handler once, as a worker runs one attempt of a run, and reports how it ended:
 * for unit tests of handlers, with no Redis and no worker. The handler gets a complete context,
 * built by the worker's own code: `runId`, `scheduleId`, `fireTime` (a Date), `attempt`, `data`,
 * a `signal`, a `logger` whose lines are recorded, and `progress()`, whose reports are recorded.
 *
 * The task's time limit holds as in production: past `timeout` (else the task's `timeoutMs`) the
 * signal aborts with a `TaskTimeoutError` and the attempt fails with it, even when the handler
 * ignores its signal (it goes on in the background, its outcome unused). The limit is a
 * `setTimeout`, so with fake timers the test moves time past it.
 *
 * The handler runs in the calling process whatever the task's `executor`, and runTask never
 * rejects for what the handler does: a thrown error is a `failed` outcome. Retries are not made;
 * `willRetry` and `retryDelayMs` tell what a worker would do next, and a test runs the next
 * attempt with `attempt: n + 1`.
 *
 * @example
 * ```ts
 * import { runTask } from '@sundial/worker/testing';
 *
 * const outcome = await runTask(report, { data: { day: '2027-01-04' }, fireTime: '2027-01-05T02:00:00Z' });
 * expect(outcome).toMatchObject({ status: 'succeeded', result: { rows: 3 } });
 * expect(outcome.logs).toContainEqual(expect.objectContaining({ level: 'info', msg: 'report built' }));
 *
 * const late = await runTask(report, { timeout: '1s' });
 * expect(late).toMatchObject({ status: 'failed', timedOut: true, retryable: true });
 * ```
 *
 * @param task - a task definition: what `defineTask` returns, one of `tasksOf(Class)`, or `{ name, handler, ... }`
 * @throws TaskDefinitionError naming the task's bad field; ValidationError naming the bad option (`attempt`, `fireTime`, `timeout`, `scheduleId`, `runId`)
 */
export async function runTask<Data = unknown, Result = unknown>(task: TaskDefinition<Data, Result>, options: RunTaskOptions<Data> = {}): Promise<RunTaskOutcome<Result, Data>> {
  const definition = validateTaskDefinition(task);
  const attempt = resolveAttempt(options.attempt);
  const fireTime = resolveFireTime(options.fireTime);
  const timeoutMs = resolveTimeout(options.timeout);
  const scheduleId = resolveId('scheduleId', options.scheduleId, definition.name);
  const runId = resolveId('runId', options.runId, scheduledRunId(scheduleId, fireTime.getTime()));
  const settings = resolveRunSettings(timeoutMs === undefined ? {} : { timeoutMs }, definition, { retry: WORKER_DEFAULTS.retry, timeoutMs: undefined });

  const recording = createRecordingLogger(['runId', 'scheduleId', 'task', 'attempt']);
  const progress: (number | object)[] = [];
  const controller = new AbortController();
  const { signal: outer } = options;
  const forwardAbort = (): void => controller.abort(outer?.reason);
  if (outer?.aborted) forwardAbort();
  else outer?.addEventListener('abort', forwardAbort, { once: true });

  const facts = { runId, scheduleId, fireTime, attempt, data: (options.data ?? {}) as Data };
  const context = taskContext(facts, {
    signal: controller.signal,
    logger: attemptLogger(recording.logger, facts, definition.name),
    progress: async (value) => {
      progress.push(JSON.parse(JSON.stringify(value)) as number | object);
    },
  });
  const records = { logs: recording.records, progress, context };
  try {
    const outcome = await runAttempt(new InlineExecutor(), definition, context as TaskContext, controller, settings.timeoutMs);
    if (outcome.ok) return { status: 'succeeded', result: outcome.result as Result, ...records };
    const { error } = outcome;
    const retryable = failureKind(error) === 'retryable';
    const state = { attempt, round: 0, roundStart: 1 };
    const willRetry = retryable && retryRemains(state, settings.retry);
    const retryDelayMs = willRetry ? backoffDelayMs(settings.retry, attempt, error instanceof Error ? error : new Error(String(error)), () => 0.5) : undefined;
    return { status: 'failed', error, message: describeError(error), timedOut: error instanceof TaskTimeoutError, retryable, willRetry, retryDelayMs, ...records };
  } finally {
    outer?.removeEventListener('abort', forwardAbort);
  }
}
