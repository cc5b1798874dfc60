import { Job } from 'bullmq';
import type { RedisConnection } from '../redis/redis-target';
import { ValidationError } from '../errors';
import { FINAL_RUN_STATUSES, RUN_STATUSES, parseRun, type Run, type RunStatus } from '../runs/run-record';
import type { NamespaceKeys } from '../store/keys';
import { QueueSet } from '../store/queue-set';
import { readStoredSchedules } from '../store/stored-schedule-reader';

/** Filters and paging of `listRuns`. */
export interface ListRunsOptions {
  /** Only the runs of this schedule. */
  scheduleId?: string;
  /** Only runs with this status (for runs in flight, as their BullMQ jobs say). */
  status?: RunStatus;
  /** Only runs of this task. */
  task?: string;
  /** @defaultValue 50 */
  limit?: number;
  /** Only runs with a nominal fire time before this (for paging back). */
  before?: Date | number;
}

/** Run ids read from the index at a time while filters drop some. */
const PAGE = 200;

/** BullMQ job states, as run statuses. */
const STATUS_OF_JOB_STATE: Readonly<Record<string, RunStatus>> = {
  completed: 'succeeded',
  failed: 'failed',
  active: 'running',
  waiting: 'enqueued',
  delayed: 'enqueued',
  prioritized: 'enqueued',
  'waiting-children': 'enqueued',
};

/** Reads run records, and the state of their BullMQ jobs for runs still in flight. */
export class RunReader {
  private readonly queues: QueueSet;

  constructor(
    private readonly redis: RedisConnection,
    private readonly keys: NamespaceKeys,
  ) {
    this.queues = new QueueSet(redis, keys);
  }

  /**
   * Runs newest first, filtered. Filters apply while reading the index a page at a time, so
   * `limit` runs come back whenever that many match.
   *
   * @throws ValidationError naming `limit` or `status`
   */
  async list(options: ListRunsOptions = {}): Promise<Run[]> {
    const limit = options.limit ?? 50;
    if (!Number.isInteger(limit) || limit < 1 || limit > 1_000) throw new ValidationError('limit', `expected a whole number from 1 to 1000, got ${String(options.limit)}`);
    if (options.status !== undefined && !RUN_STATUSES.includes(options.status)) {
      throw new ValidationError('status', `expected one of ${RUN_STATUSES.join(', ')}, got ${JSON.stringify(options.status)}`);
    }
    const before = options.before === undefined ? '+inf' : `(${typeof options.before === 'number' ? options.before : options.before.getTime()}`;
    const index = options.scheduleId === undefined ? this.keys.runs : this.keys.scheduleRuns(options.scheduleId);
    const filtered = options.status !== undefined || options.task !== undefined;
    const page = filtered ? Math.max(limit, PAGE) : limit;
    const tasks = new TaskLookup(this.redis, this.keys);
    const runs: Run[] = [];
    for (let offset = 0; runs.length < limit; offset += page) {
      const runIds = await this.redis.zrevrangebyscore(index, before, '-inf', 'LIMIT', offset, page);
      const pipeline = this.redis.pipeline();
      for (const runId of runIds) pipeline.hgetall(this.keys.run(runId));
      const hashes = ((await pipeline.exec()) ?? []).map(([, hash]) => (hash ?? {}) as Record<string, string>);
      for (const hash of hashes) {
        const recorded = parseRun(hash);
        if (!recorded) continue;
        if (options.task !== undefined && (await tasks.of(hash)) !== options.task) continue;
        // A final status never changes, so such a record is dropped without asking BullMQ.
        if (options.status !== undefined && FINAL_RUN_STATUSES.includes(recorded.status) && recorded.status !== options.status) continue;
        const run = await this.withJobState(recorded);
        if (options.status !== undefined && run.status !== options.status) continue;
        runs.push(run);
        if (runs.length === limit) break;
      }
      if (runIds.length < page) break;
    }
    return runs;
  }

  async get(runId: string): Promise<Run | undefined> {
    const run = parseRun(await this.redis.hgetall(this.keys.run(runId)));
    return run && this.withJobState(run);
  }

  async close(): Promise<void> {
    await this.queues.close();
  }

  /**
   * A run in flight takes its status, attempts and error from its BullMQ job while the job exists:
   * the job is the truth for a run whose worker died before recording its outcome.
   */
  private async withJobState(run: Run): Promise<Run> {
    if (run.status !== 'enqueued' && run.status !== 'running') return run;
    const job = await Job.fromId(this.queues.get(run.queue), run.runId);
    if (!job) return run;
    const state = await job.getState();
    const status = STATUS_OF_JOB_STATE[state] ?? run.status;
    // Workers record attempts themselves (their retries are not BullMQ attempts); the job's count only fills in before that.
    const jobAttempts = state === 'active' ? job.attemptsMade + 1 : job.attemptsMade;
    const attempts = run.attempts > 0 ? run.attempts : jobAttempts;
    return { ...run, status, attempts, error: run.error ?? (job.failedReason ? job.failedReason : null) };
  }

}

/** The task of run records: recorded on the run, else (older records) its schedule's, read once per schedule. */
class TaskLookup {
  private readonly bySchedule = new Map<string, string | undefined>();

  constructor(
    private readonly redis: RedisConnection,
    private readonly keys: NamespaceKeys,
  ) {}

  async of(hash: Record<string, string>): Promise<string | undefined> {
    if (hash.task) return hash.task;
    const scheduleId = hash.scheduleId ?? '';
    if (!this.bySchedule.has(scheduleId)) {
      const [stored] = await readStoredSchedules(this.redis, this.keys, [scheduleId]);
      this.bySchedule.set(scheduleId, stored?.spec.task);
    }
    return this.bySchedule.get(scheduleId);
  }
}
