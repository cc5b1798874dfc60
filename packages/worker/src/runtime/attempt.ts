import type { Job } from 'bullmq';
import type { Logger } from 'pino';
import type { Executor } from '../executors/executor';
import type { TaskContext, TaskDefinition } from '../task-definition';
import type { WorkerJobData } from './worker-job';

/** The context a handler gets for one attempt of a run. */
export function attemptContext(job: Job<WorkerJobData>, attempt: number, signal: AbortSignal, logger: Logger): TaskContext {
  const { data } = job;
  return {
    runId: data.runId,
    scheduleId: data.scheduleId,
    fireTime: new Date(data.fireTime),
    attempt,
    data: data.data,
    signal,
    logger,
    progress: async (value) => {
      await job.updateProgress(value);
    },
  };
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
