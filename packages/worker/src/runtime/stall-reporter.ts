import type { Clock, NamespaceKeys, RunTracker } from '@sundial/shared';
import type { Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { attemptStateOf } from './worker-job';

/**
 * Reports runs whose worker stopped renewing their lock (it died, or blocked its event loop):
 * BullMQ puts such a job back in its queue (`stalled`) for another worker to run, up to
 * `maxStalledCount` times, after which it fails the job. Each stall is logged and added to the
 * events stream as `run.stalled`; a run failed for stalling too often gets a failed record.
 */
export class StallReporter {
  constructor(
    private readonly redis: Redis,
    private readonly keys: NamespaceKeys,
    private readonly tracker: RunTracker,
    private readonly clock: Clock,
    private readonly options: { workerId: string; queue: string; maxStalledCount: number; eventsMaxLength: number },
    private readonly logger: Logger,
  ) {}

  /** The Worker's `stalled` event: a run went back to its queue. */
  async stalled(runId: string): Promise<void> {
    const [scheduleId, fireTime] = await this.redis.hmget(this.keys.run(runId), 'scheduleId', 'fireTime');
    this.logger.warn({ runId, scheduleId, queue: this.options.queue }, 'stalled: a run lost its worker and goes back to its queue');
    await this.redis.xadd(this.keys.events, 'MAXLEN', '~', this.options.eventsMaxLength, '*',
      'type', 'run.stalled', 'scheduleId', scheduleId ?? '', 'runId', runId, 'fireTime', fireTime ?? '', 'status', 'enqueued',
      'reason', 'stalled', 'count', '1', 'time', String(this.clock.now()), 'worker', this.options.workerId);
  }

  /**
   * The Worker's `failed` event. BullMQ fails a job that stalled more than `maxStalledCount`
   * times when a worker next takes it (a deferred failure), without running it: its record is
   * set failed here. Other failures were recorded by the worker that ran the attempt.
   */
  async failed(job: Job | undefined): Promise<void> {
    if (!job?.deferredFailure) return;
    const runId = (job.data as { runId?: string }).runId ?? String(job.id);
    const attempt = attemptStateOf(job)?.attempt ?? 1;
    const error = `StalledError: the run lost its worker more than ${this.options.maxStalledCount} time(s) (maxStalledCount)`;
    this.logger.error({ runId, attempt }, 'a run that stalled too often failed');
    await this.tracker.failed(runId, attempt, this.clock.now(), error, 0, false);
  }
}
