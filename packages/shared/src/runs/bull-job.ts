import type { RunJob, RunJobData } from './run-job';

/** How long BullMQ keeps a run's finished job. */
export interface JobRetention {
  /** Seconds a completed job is kept. @defaultValue 86,400 */
  readonly completedSeconds: number;
  /** Seconds a failed job is kept. @defaultValue 604,800 */
  readonly failedSeconds: number;
}

/** The retention a coordinator uses unless told otherwise: a day for completed jobs, a week for failed ones. */
export const DEFAULT_JOB_RETENTION: JobRetention = { completedSeconds: 86_400, failedSeconds: 604_800 };

/**
 * The data of a run's job when it is handed to BullMQ at `nowMs`: a run handed over ahead of its
 * time carries `fireAt`, and the worker that takes it holds it until then. A run already due
 * carries none, so it runs at once, whatever the worker's clock says.
 */
export function handedOverData(job: RunJob, fireAtMs: number, nowMs: number): RunJobData {
  return fireAtMs > nowMs ? { ...job.data, fireAt: new Date(fireAtMs).toISOString() } : job.data;
}

/**
 * A run's BullMQ job options as BullMQ stores them (with its default of `attempts: 0`): its run id
 * as job id (adding it again adds nothing) and the retention of finished jobs.
 */
export function runJobOptions(job: RunJob, runId: string, retention: JobRetention) {
  return {
    attempts: 0,
    ...job.opts,
    jobId: runId,
    removeOnComplete: { age: retention.completedSeconds },
    removeOnFail: { age: retention.failedSeconds },
  };
}
