import { appendEvent, type Clock, type NamespaceKeys, type RunTracker, type SundialEvent, type WorkerMetrics, type RedisConnection } from '@sundial/shared';
import { Job, type MinimalQueue } from 'bullmq';
import type { Logger } from 'pino';
import { attemptStateOf, isRunJobData } from './worker-job';

/** What a `StallReporter` works with. */
export interface StallReporterDeps {
  readonly redis: RedisConnection;
  readonly keys: NamespaceKeys;
  readonly tracker: RunTracker;
  readonly clock: Clock;
  /** The queue's BullMQ worker, to read a stalled job's task when its run has no record. */
  readonly jobs: MinimalQueue;
  readonly options: { readonly workerId: string; readonly queue: string; readonly maxStalledCount: number; readonly eventsMaxLength: number };
  readonly logger: Logger;
  /** Where stalls are counted (`sundial_runs_total{outcome="stalled"}`), when the worker serves metrics. */
  readonly metrics?: WorkerMetrics;
  /** Called with each `run.stalled` event, e.g. `EventHub.emit`. */
  readonly onEvent?: (event: SundialEvent) => void;
}

/**
 * Reports runs whose worker stopped renewing their lock (it died, or blocked its event loop):
 * BullMQ puts such a job back in its queue (`stalled`) for another worker to run, up to
 * `maxStalledCount` times, after which it fails the job. Each stall is logged, counted and added
 * to the events stream as `run.stalled` by the worker that found it; a run failed for stalling too
 * often gets a failed record.
 */
export class StallReporter {
  constructor(private readonly deps: StallReporterDeps) {}

  /** The Worker's `stalled` event: a run went back to its queue. */
  async stalled(runId: string): Promise<void> {
    const { redis, keys, clock, options, logger } = this.deps;
    const [scheduleId, fireTime, recordedTask] = await redis.hmget(keys.run(runId), 'scheduleId', 'fireTime', 'task');
    const task = recordedTask ?? (await this.taskOfJob(runId));
    logger.warn({ runId, scheduleId, task, queue: options.queue }, 'stalled: a run lost its worker and goes back to its queue');
    if (task !== undefined) this.deps.metrics?.stalled(task);
    const timeMs = clock.now();
    const fireTimeMs = fireTime ? Number(fireTime) : undefined;
    const event = { scheduleId: scheduleId ?? undefined, runId, status: 'enqueued', reason: 'stalled', count: 1, task, worker: options.workerId };
    this.deps.onEvent?.({ type: 'run.stalled', time: new Date(timeMs).toISOString(), ...event, ...(fireTimeMs !== undefined && { fireTime: new Date(fireTimeMs).toISOString() }) });
    await appendEvent(redis, keys.events, options.eventsMaxLength, { type: 'run.stalled', timeMs, fireTimeMs, ...event });
  }

  /**
   * The Worker's `failed` event. BullMQ fails a job that stalled more than `maxStalledCount`
   * times when a worker next takes it (a deferred failure), without running it: its record is
   * set failed here, with the latest attempt the record (else the job) kept. Other failures were
   * recorded by the worker that ran the attempt.
   */
  async failed(job: Job | undefined): Promise<void> {
    if (!job?.deferredFailure || !isRunJobData(job.data)) return;
    const recordedAttempt = Number(await this.deps.redis.hget(this.deps.keys.run(job.data.runId), 'attempts'));
    const attempt = recordedAttempt > 0 ? recordedAttempt : (attemptStateOf(job)?.attempt ?? 1);
    const error = `StalledError: the run lost its worker more than ${this.deps.options.maxStalledCount} time(s) (maxStalledCount)`;
    this.deps.logger.error({ runId: job.data.runId, attempt }, 'a run that stalled too often failed');
    await this.deps.tracker.failed(job.data, attempt, this.deps.clock.now(), { error, durationMs: 0, willRetry: false });
  }

  private async taskOfJob(runId: string): Promise<string | undefined> {
    const job = await Job.fromId(this.deps.jobs, runId).catch(() => undefined);
    return job && isRunJobData(job.data) ? job.data.task : undefined;
  }
}
