import type { AttemptState, RunJobData } from '@sundial/shared';
import type { Job } from 'bullmq';
import type { ScheduleOverrides } from './run-settings';

/**
 * The data of a run's BullMQ job as the worker keeps it: the run, and, for a run without a record,
 * where it stands in its attempts.
 */
export interface WorkerJobData extends RunJobData {
  /**
   * Written at the start of every attempt of a run that has no record (its record keeps it
   * otherwise), and by older workers for every run.
   */
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

/**
 * The attempt state the job's data carries, if any: that of a run without a record, or one an
 * older worker wrote. A recorded run's state is in its record (`RunTracker`).
 */
export function attemptStateOf(job: Job): AttemptState | undefined {
  const execution = (job.data as Partial<WorkerJobData> | undefined)?.execution;
  if (!execution) return undefined;
  const { attempt, round, roundStart } = execution;
  return typeof attempt === 'number' && typeof round === 'number' && typeof roundStart === 'number' ? { attempt, round, roundStart } : undefined;
}

/** The schedule's overrides the coordinator put in the job. */
export function scheduleOverridesOf(job: RunJobOf): ScheduleOverrides {
  return {
    ...(job.opts.attempts !== undefined && { attempts: job.opts.attempts }),
    ...(job.opts.backoff !== undefined && { backoff: job.opts.backoff }),
    ...(typeof job.data.timeoutMs === 'number' && { timeoutMs: job.data.timeoutMs }),
  };
}
