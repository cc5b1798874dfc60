import type { RunJobData } from '@sundial/shared';
import type { Job } from 'bullmq';
import type { AttemptState } from './run-settings';
import type { ScheduleOverrides } from './run-settings';

/** The data of a run's BullMQ job as the worker keeps it: the run, and where it stands in its attempts. */
export interface WorkerJobData extends RunJobData {
  /** Written by the worker at the start of every attempt. */
  readonly execution?: AttemptState;
}

/** A BullMQ job that carries a Sundial run. */
export type RunJobOf = Job<WorkerJobData>;

/** Whether a job's data is a Sundial run (a job added by something else is not). */
export function isRunJobData(data: unknown): data is WorkerJobData {
  if (typeof data !== 'object' || data === null) return false;
  const { runId, task, fireTime } = data as Partial<RunJobData>;
  return typeof runId === 'string' && typeof task === 'string' && typeof fireTime === 'string';
}

/** Where the job's run stands in its attempts, if an attempt has started. */
export function attemptStateOf(job: Job): AttemptState | undefined {
  const execution = (job.data as Partial<WorkerJobData> | undefined)?.execution;
  return execution && typeof execution.attempt === 'number' ? execution : undefined;
}

/** The schedule's overrides the coordinator put in the job. */
export function scheduleOverridesOf(job: RunJobOf): ScheduleOverrides {
  return {
    ...(job.opts.attempts !== undefined && { attempts: job.opts.attempts }),
    ...(job.opts.backoff !== undefined && { backoff: job.opts.backoff }),
    ...(typeof job.data.timeoutMs === 'number' && { timeoutMs: job.data.timeoutMs }),
  };
}
