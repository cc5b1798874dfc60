import type { Job } from 'bullmq';
import type { Logger } from 'pino';
import type { Executor } from '../executors/executor';
import { TaskTimeoutError, type TaskContext, type TaskDefinition } from '../task-definition';
import type { WorkerJobData } from './worker-job';

/** What one attempt of a run is, as its handler sees it. */
export interface AttemptFacts<Data = unknown> {
  readonly runId: string;
  readonly scheduleId: string;
  /** The nominal fire time. */
  readonly fireTime: Date;
  /** 1 on the first try. */
  readonly attempt: number;
  readonly data: Data;
}

/** Where an attempt's context sends what its handler reports. */
export interface AttemptReporting {
  readonly signal: AbortSignal;
  /** The attempt's logger, as {@link attemptLogger} makes it. */
  readonly logger: Logger;
  readonly progress: (value: number | object) => Promise<void>;
}

/** The logger of one attempt: `base` with the run id, schedule id, task and attempt on every line. */
export function attemptLogger(base: Logger, facts: Pick<AttemptFacts, 'runId' | 'scheduleId' | 'attempt'>, task: string): Logger {
  return base.child({ runId: facts.runId, scheduleId: facts.scheduleId, task, attempt: facts.attempt });
}

/** The context a handler gets for one attempt: the attempt's facts and where to report. */
export function taskContext<Data>(facts: AttemptFacts<Data>, reporting: AttemptReporting): TaskContext<Data> {
  return {
    runId: facts.runId,
    scheduleId: facts.scheduleId,
    fireTime: facts.fireTime,
    attempt: facts.attempt,
    data: facts.data,
    signal: reporting.signal,
    logger: reporting.logger,
    progress: reporting.progress,
  };
}

/** The context a handler gets for one attempt of a run's BullMQ job; progress goes to the job. */
export function attemptContext(job: Job<WorkerJobData>, attempt: number, signal: AbortSignal, logger: Logger): TaskContext {
  const { data } = job;
  return taskContext(
    { runId: data.runId, scheduleId: data.scheduleId, fireTime: new Date(data.fireTime), attempt, data: data.data },
    {
      signal,
      logger,
      progress: async (value) => {
        await job.updateProgress(value);
      },
    },
  );
}

/**
 * Runs one attempt on an executor. It settles with the handler's outcome, or rejects with the
 * abort reason (a timeout, a cancellation, a shutdown) as soon as the signal aborts, even if the
 * handler ignores its signal: such a handler goes on in the background, its outcome unused.
 * (Executors abort their handlers themselves; this holds for any executor.)
 */
export function executeAttempt(executor: Executor, task: TaskDefinition, context: TaskContext): Promise<unknown> {
  const { signal } = context;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    Promise.resolve()
      .then(() => executor.run(task, context))
      .then(resolve, reject)
      .finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** How an attempt ended: its handler's result, or the error it failed with. */
export type AttemptOutcome = { readonly ok: true; readonly result: unknown } | { readonly ok: false; readonly error: unknown };

/**
 * Runs one attempt under its time limit: after `timeoutMs` the controller (whose signal is the
 * context's) is aborted with a `TaskTimeoutError`, and the attempt fails with it whether or not
 * the handler heeds its signal. The error of an attempt whose signal was aborted is the abort
 * reason (the timeout, a cancellation, a shutdown), whatever the handler threw on seeing it.
 *
 * @param timeoutMs - undefined for no time limit
 */
export async function runAttempt(executor: Executor, task: TaskDefinition, context: TaskContext, controller: AbortController, timeoutMs: number | undefined): Promise<AttemptOutcome> {
  const timer = timeoutMs === undefined ? undefined : setTimeout(() => controller.abort(new TaskTimeoutError(timeoutMs)), timeoutMs);
  try {
    return { ok: true, result: await executeAttempt(executor, task, context) };
  } catch (error) {
    return { ok: false, error: controller.signal.aborted ? (controller.signal.reason as unknown) : error };
  } finally {
    clearTimeout(timer);
  }
}
