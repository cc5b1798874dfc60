import { Job, Queue } from 'bullmq';
import { isRedisConnection, type RedisConnection } from '../redis/redis-target';
import { redisTimeMs, type Clock } from '../clock';
import { ConflictError, NotFoundError, ValidationError } from '../errors';
import { createRedisConnection } from '../redis/connection';
import { closeRedis } from '../redis/close-redis';
import { validateSchedule, type ScheduleInput, type ScheduleSpec } from '../schedule/schedule-spec';
import { toSchedule, type Schedule, type StoredSchedule } from '../schedule/stored-schedule';
import { backfillRunId, manualRunId } from '../runs/run-id';
import type { FireRange } from '../schedule/fire-plan';
import { liveHeartbeats, type CoordinatorHeartbeat, type WorkerHeartbeat } from '../store/heartbeats';
import { namespaceKeys, type NamespaceKeys } from '../store/keys';
import { QueueDepthReader, type QueueDepth } from '../store/queue-depth';
import { runScript } from '../store/scripts';
import { readStoredSchedules } from '../store/stored-schedule-reader';
import type { RunRequest } from '../store/run-request';
import { compileTriggerCached } from '../triggers/next-fire-times';
import { resolveClientOptions, type ResolvedClientOptions, type SundialClientOptions } from './client-options';
import { RunReader, type ListRunsOptions } from './run-reader';
import { FINAL_RUN_STATUSES, type Run } from '../runs/run-record';
import { appendEvent } from '../events/event-append';
import { RedisEventStream } from '../events/event-stream';
import type { SundialEvents, SundialOperations } from './sundial-operations';
import { addSchedulesInBulk, type AddManyOptions, type AddManyResult } from './bulk-add';

/** What to do when `add` meets an existing schedule id. */
export type ConflictPolicy = 'error' | 'replace' | 'keep';

/** The result of `add`. */
export interface AddResult {
  readonly schedule: Schedule;
  readonly outcome: 'created' | 'replaced' | 'kept';
  /** Things worth telling the user, e.g. that no live worker serves the task yet. */
  readonly warnings: readonly string[];
}

/** Filters and paging of `list`. */
export interface ListSchedulesOptions {
  /** Where the previous page ended (its `nextCursor`). */
  cursor?: string;
  /** @defaultValue 100 */
  limit?: number;
  task?: string;
  queue?: string;
  /** `active`: has a next fire time and is not paused; `finished`: its trigger is done. */
  state?: 'active' | 'paused' | 'finished';
  /** Every label given must match. */
  labels?: Record<string, string>;
}

/** What `status` reports about the cluster. */
export interface ClusterStatus {
  readonly namespace: string;
  readonly epoch: number;
  readonly coordinators: readonly CoordinatorHeartbeat[];
  readonly workers: readonly WorkerHeartbeat[];
  readonly schedules: number;
  readonly activeSchedules: number;
  /** Runs committed but not yet handed to BullMQ; stays near 0 while a leader runs. */
  readonly outbox: number;
  readonly pendingRequests: number;
  /** The job counts of every queue the namespace's schedules have used, by name. */
  readonly queues: readonly QueueDepth[];
}

const MAX_STALE_RETRIES = 10;
/** How long `cancelRun` waits for the leader (and a worker) to carry a cancellation out. */
const CANCEL_WAIT_MS = 5_000;
const CANCEL_POLL_MS = 100;
const RANGE_CHUNK = 100_000;
/** The most runs one backfill may create. */
export const MAX_BACKFILL_RUNS = 10_000;

/**
 * Fire times of a trigger in `(afterMs, untilMs]`, grouped into one range record. Counting takes
 * time linear in the fire times passed over (about 0.2 µs each), never a cap that would drop some.
 */
function rangeOf(spec: ScheduleSpec, afterMs: number, untilMs: number, status: FireRange['status'] | 'paused', reason: string): unknown[] {
  const trigger = compileTriggerCached(spec.trigger);
  let first: number | undefined;
  let last: number | undefined;
  let count = 0;
  for (let after = afterMs; ; ) {
    const fires = trigger.take(after, RANGE_CHUNK, { seed: spec.id, untilMs: untilMs + 1 });
    const lastFire = fires[fires.length - 1];
    if (!lastFire) break;
    first ??= fires[0]?.nominalMs;
    last = lastFire.nominalMs;
    count += fires.length;
    if (fires.length < RANGE_CHUNK) break;
    after = last;
  }
  if (first === undefined || last === undefined) return [];
  return [{ status, reason, firstNominalMs: first, lastNominalMs: last, count }];
}

/**
 * Sundial's client: adds, changes and inspects schedules and runs in Redis. Any process may use
 * it; the elected coordinator picks changes up at once (pub/sub) and does the firing.
 *
 * @example
 * const client = new SundialClient({ connection: process.env.REDIS_URL, namespace: 'billing' });
 * await client.add({ id: 'nightly-report', task: 'report', trigger: { cron: '0 2 * * *', timezone: 'Europe/Berlin' } });
 * await client.close();
 */
export class SundialClient implements SundialOperations {
  /** The options in effect. */
  readonly options: ResolvedClientOptions;
  /** The Redis keys of the namespace. */
  readonly keys: NamespaceKeys;
  private readonly redis: RedisConnection;
  private readonly ownsConnection: boolean;
  private readonly clock: Clock | undefined;
  private readonly runReader: RunReader;
  private readonly eventStream: RedisEventStream;
  /** The namespace's event stream: subscribe to it (and resume after a restart), or read recent events. */
  readonly events: SundialEvents;

  constructor(options: SundialClientOptions = {}) {
    this.options = resolveClientOptions(options);
    this.clock = options.clock;
    this.keys = namespaceKeys(this.options.namespace);
    const { connection } = this.options;
    this.ownsConnection = !isRedisConnection(connection);
    this.redis = isRedisConnection(connection) ? connection : createRedisConnection(connection, { connectionName: 'sundial:client' });
    // A lost connection (a failover, a restart) fails the command in flight, which reports it.
    if (this.ownsConnection) this.redis.on('error', () => undefined);
    this.runReader = new RunReader(this.redis, this.keys);
    this.eventStream = new RedisEventStream(this.redis, this.keys.events);
    this.events = this.eventStream;
  }

  /**
   * Adds a schedule. Fire times before now are not due: the first fire is the trigger's next
   * after now.
   *
   * @throws ValidationError naming the field; ConflictError when the id exists and `onConflict` is `error`
   */
  async add(input: ScheduleInput | unknown, options: { onConflict?: ConflictPolicy } = {}): Promise<AddResult> {
    const onConflict = options.onConflict ?? 'error';
    const { spec, trigger, paused } = validateSchedule(input, { maxDataBytes: this.options.maxDataBytes });
    const warnings = await this.taskWarnings(spec.task);
    if (onConflict === 'replace' && (await this.redis.exists(this.keys.schedule(spec.id))) === 1) {
      return { schedule: await this.replace(spec, paused), outcome: 'replaced', warnings };
    }
    const now = await this.now();
    const next = trigger.next(now, spec.id);
    if (!next) warnings.push(`the trigger of "${spec.id}" has no fire time after now; the schedule is finished and will never fire`);
    const outcome = await runScript<string>(this.redis, 'addSchedule', [this.keys.schedule(spec.id), this.keys.definition(spec.id), this.keys.ids, this.keys.due, this.keys.events], [
      spec.id,
      JSON.stringify(spec),
      onConflict,
      now,
      paused ? '1' : '0',
      now,
      next?.nominalMs ?? '',
      next?.fireAtMs ?? '',
      this.options.eventsMaxLength,
      this.keys.changesChannel,
      spec.task,
      this.keys.base,
      spec.queue,
    ]);
    if (outcome === 'conflict') throw new ConflictError(spec.id);
    return { schedule: await this.get(spec.id), outcome: outcome as AddResult['outcome'], warnings };
  }

  /**
   * Adds many schedules fast: all are validated first, the time is read once, and they are
   * written with pipelined scripts, a batch at a time, with one change notice per batch. Each
   * schedule gets the same definition, state and `schedule.added` event as with `add`.
   *
   * @example
   * const { created } = await client.addMany(tenants.map((t) => ({ id: `report-${t}`, task: 'report', trigger: { every: '1h' } })));
   *
   * @throws ValidationError naming the entry, e.g. `schedules[17].trigger.cron` (nothing is
   *   written); ConflictError when `onConflict` is `error` (the default) and an id exists
   */
  async addMany(inputs: readonly (ScheduleInput | unknown)[], options: AddManyOptions = {}): Promise<AddManyResult> {
    return addSchedulesInBulk(
      {
        redis: this.redis,
        keys: this.keys,
        maxDataBytes: this.options.maxDataBytes,
        eventsMaxLength: this.options.eventsMaxLength,
        now: () => this.now(),
        replace: (spec, paused) => this.replace(spec, paused),
      },
      inputs,
      options,
    );
  }

  /**
   * Changes a schedule's definition: the fields given replace the current ones. A changed trigger
   * takes effect from now; the old trigger's fire times still due are recorded as skipped
   * (`trigger-changed`), not lost silently.
   *
   * @throws NotFoundError, ValidationError
   */
  async update(id: string, changes: Partial<Omit<ScheduleInput, 'id' | 'paused'>>): Promise<Schedule> {
    if (changes && typeof changes === 'object' && 'id' in changes && (changes as { id?: unknown }).id !== id) {
      throw new ValidationError('id', 'a schedule id cannot change; add a new schedule and remove this one');
    }
    if (changes && typeof changes === 'object' && 'paused' in changes) {
      throw new ValidationError('paused', 'is changed with pause() and resume(), not update()');
    }
    return this.change(id, 'update', (stored, now) => {
      const { spec, trigger } = validateSchedule({ ...stored.spec, ...changes, id }, { maxDataBytes: this.options.maxDataBytes });
      const triggerChanged = JSON.stringify(spec.trigger) !== JSON.stringify(stored.spec.trigger);
      if (!triggerChanged) {
        return { spec, last: undefined, next: trigger.next(stored.lastNominalMs, id), ranges: [] };
      }
      const ranges = now > stored.lastNominalMs ? rangeOf(stored.spec, stored.lastNominalMs, now, 'skipped', 'trigger-changed') : [];
      const last = Math.max(now, stored.lastNominalMs);
      return { spec, last, next: trigger.next(last, id), ranges };
    });
  }

  /** Pauses a schedule: no fire times are due until it is resumed. Pausing a paused schedule does nothing. @throws NotFoundError */
  async pause(id: string): Promise<Schedule> {
    return this.change(id, 'pause', () => ({ spec: undefined, last: undefined, next: undefined, ranges: [] }));
  }

  /**
   * Resumes a paused schedule. With `catchUp: 'none'` (the default) it continues from now and the
   * fire times that passed while it was paused are recorded as `paused`; with `'policy'` they
   * are due at once and its misfire and coalesce policies decide what runs.
   *
   * @throws NotFoundError
   */
  async resume(id: string, options: { catchUp?: 'none' | 'policy' } = {}): Promise<Schedule> {
    const catchUp = options.catchUp ?? 'none';
    if (catchUp !== 'none' && catchUp !== 'policy') throw new ValidationError('catchUp', `expected "none" or "policy", got ${JSON.stringify(catchUp)}`);
    return this.change(id, 'resume', (stored, now) => {
      const trigger = compileTriggerCached(stored.spec.trigger);
      if (catchUp === 'policy') return { spec: undefined, last: undefined, next: trigger.next(stored.lastNominalMs, id), ranges: [] };
      const last = Math.max(now, stored.lastNominalMs);
      return { spec: undefined, last, next: trigger.next(last, id), ranges: rangeOf(stored.spec, stored.lastNominalMs, now, 'paused', 'paused') };
    });
  }

  /** Removes a schedule, its state and its run history. Runs already enqueued finish. @throws NotFoundError */
  async remove(id: string): Promise<void> {
    const now = await this.now();
    const removed = await runScript<number>(
      this.redis,
      'removeSchedule',
      [this.keys.schedule(id), this.keys.definition(id), this.keys.ids, this.keys.due, this.keys.buffered, this.keys.events],
      [id, now, this.keys.base, this.options.eventsMaxLength, this.keys.changesChannel],
    );
    if (removed !== 1) throw new NotFoundError('schedule', id);
  }

  /** A schedule with its state. @throws NotFoundError */
  async get(id: string): Promise<Schedule> {
    return toSchedule(await this.getStored(id));
  }

  /** Schedules in creation order, filtered, a page at a time. */
  async list(options: ListSchedulesOptions = {}): Promise<{ schedules: Schedule[]; nextCursor: string | null }> {
    const limit = options.limit ?? 100;
    if (!Number.isInteger(limit) || limit < 1 || limit > 1_000) throw new ValidationError('limit', `expected a whole number from 1 to 1000, got ${String(options.limit)}`);
    let offset = options.cursor === undefined ? 0 : Number(options.cursor);
    if (!Number.isInteger(offset) || offset < 0) throw new ValidationError('cursor', `expected a cursor returned by a previous page, got ${JSON.stringify(options.cursor)}`);
    const schedules: Schedule[] = [];
    const chunk = Math.max(limit, 200);
    for (;;) {
      const ids = await this.redis.zrange(this.keys.ids, offset, offset + chunk - 1);
      if (ids.length === 0) return { schedules, nextCursor: null };
      const page = await readStoredSchedules(this.redis, this.keys, ids);
      for (const stored of page) {
        offset += 1;
        if (stored && matches(stored, options)) schedules.push(toSchedule(stored));
        if (schedules.length === limit) return { schedules, nextCursor: offset < (await this.redis.zcard(this.keys.ids)) ? String(offset) : null };
      }
    }
  }

  /**
   * Asks the leader to run a schedule now, even while it is paused. The run obeys the overlap
   * policy unless `force` is set. Returns its run id.
   *
   * @throws NotFoundError
   */
  async trigger(id: string, options: { force?: boolean } = {}): Promise<{ runId: string }> {
    const now = await this.now();
    const runId = manualRunId(id, now);
    await this.request(id, [{ runId, kind: 'manual', nominalMs: now, fireAtMs: now, force: options.force ?? false }]);
    return { runId };
  }

  /**
   * Runs the fire times of a schedule's trigger between `from` and `to` (inclusive) now, each
   * with its own run id (`<id>@backfill-<ms>`), so backfilling a range twice runs it once. Runs
   * obey the overlap policy unless `force` is set.
   *
   * @throws NotFoundError, ValidationError (bad range, more than `limit` fire times)
   */
  async backfill(id: string, range: { from: Date | number; to: Date | number; force?: boolean; limit?: number }): Promise<{ runIds: string[] }> {
    const fromMs = typeof range.from === 'number' ? range.from : range.from.getTime();
    const toMs = typeof range.to === 'number' ? range.to : range.to.getTime();
    if (!Number.isFinite(fromMs)) throw new ValidationError('from', 'expected a valid date');
    if (!Number.isFinite(toMs) || toMs < fromMs) throw new ValidationError('to', 'expected a valid date not before from');
    const limit = range.limit ?? 1_000;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_BACKFILL_RUNS) throw new ValidationError('limit', `expected a whole number from 1 to ${MAX_BACKFILL_RUNS}`);
    const stored = await this.getStored(id);
    const fires = compileTriggerCached(stored.spec.trigger).take(fromMs - 1, limit + 1, { seed: id, untilMs: toMs + 1 });
    if (fires.length > limit) throw new ValidationError('to', `the range holds more than ${limit} fire times; narrow it or raise the limit (at most ${MAX_BACKFILL_RUNS})`);
    const now = await this.now();
    const requests = fires.map((fire): RunRequest => ({ runId: backfillRunId(id, fire.nominalMs), kind: 'backfill', nominalMs: fire.nominalMs, fireAtMs: now, force: range.force ?? false }));
    if (requests.length > 0) await this.request(id, requests);
    return { runIds: requests.map((request) => request.runId) };
  }

  /**
   * Runs, newest first; of one schedule, status or task when given. Statuses of runs in flight
   * follow their BullMQ jobs.
   *
   * @throws ValidationError naming `limit` or `status`
   */
  async listRuns(options: ListRunsOptions = {}): Promise<Run[]> {
    return this.runReader.list(options);
  }

  /** One run. @throws NotFoundError */
  async getRun(runId: string): Promise<Run> {
    const run = await this.runReader.get(runId);
    if (!run) throw new NotFoundError('run', runId);
    return run;
  }

  /**
   * Runs a failed run again, by hand: its record goes back to `enqueued` (reason `retried`) and
   * its BullMQ job back to its queue, where a worker takes it with its retry policy's full budget
   * of attempts; attempt numbers go on from the last one. Possible while BullMQ keeps the failed
   * job (the coordinator's failed-job retention, a week by default).
   *
   * @throws NotFoundError when the run is unknown; ValidationError naming `runId` when the run is
   *   not failed or its job is no longer kept
   */
  async retryRun(runId: string): Promise<Run> {
    const run = await this.getRun(runId);
    if (run.status !== 'failed') throw new ValidationError('runId', `run "${runId}" is ${run.status}; only a failed run can be retried`);
    const queue = new Queue(run.queue, { connection: this.redis, prefix: this.keys.bullPrefix });
    try {
      const job = await Job.fromId(queue, runId);
      if (!job || (await job.getState()) !== 'failed') {
        throw new ValidationError('runId', `the job of run "${runId}" is no longer kept (failed jobs are removed after their retention), so it cannot be retried`);
      }
      const key = this.keys.run(runId);
      const [status, reason, scheduleId, fireTime] = await this.redis.hmget(key, 'status', 'reason', 'scheduleId', 'fireTime');
      const now = await this.now();
      const transaction = this.redis.multi().hset(key, 'status', 'enqueued', 'reason', 'retried', 'updatedAt', now);
      appendEvent(transaction, this.keys.events, this.options.eventsMaxLength, {
        type: 'run.enqueued',
        timeMs: now,
        scheduleId: scheduleId ?? undefined,
        runId,
        fireTimeMs: fireTime ? Number(fireTime) : undefined,
        status: 'enqueued',
        reason: 'retried',
        count: 1,
        task: job.name,
      });
      await transaction.exec();
      try {
        await job.retry('failed');
      } catch (error) {
        await this.redis.hset(key, 'status', status ?? 'failed', 'reason', reason ?? '', 'updatedAt', now);
        throw new ValidationError('runId', `run "${runId}" could not be retried: ${(error as Error).message}`, { cause: error });
      }
    } finally {
      await queue.close();
    }
    return this.getRun(runId);
  }

  /**
   * Cancels a run that has not finished: the leader removes it from its queue when it waits
   * there (its record becomes `cancelled`, reason `operator`), or tells its worker to abort it
   * when it runs. Waits up to 5 seconds for the record to say so and returns the run as it then
   * is (still `enqueued` or `running` when no leader, or no worker, carried it out in time; the
   * request stays until a leader does).
   *
   * @throws NotFoundError when the run is unknown; ValidationError naming `runId` when it already finished
   */
  async cancelRun(runId: string): Promise<Run> {
    const run = await this.getRun(runId);
    if (FINAL_RUN_STATUSES.includes(run.status)) {
      throw new ValidationError('runId', `run "${runId}" is ${run.status}; only an enqueued or running run can be cancelled`);
    }
    // The run's reason stays: a worker records an aborted run as cancelled by `cancel-previous`
    // only when its record carries the note `cancel-requested`, and as `operator` otherwise.
    await this.redis.multi().hset(this.keys.cancels, runId, `${run.queue}|operator`).publish(this.keys.changesChannel, runId).exec();
    const deadline = Date.now() + CANCEL_WAIT_MS;
    for (;;) {
      const current = await this.getRun(runId);
      if (FINAL_RUN_STATUSES.includes(current.status) || Date.now() >= deadline) return current;
      await new Promise((resolve) => setTimeout(resolve, CANCEL_POLL_MS));
    }
  }

  /** The coordinators (the leader marked), live workers and counts of the namespace. */
  async status(): Promise<ClusterStatus> {
    const now = await redisTimeMs(this.redis, this.keys.leader);
    const queueDepths = new QueueDepthReader(this.redis, this.keys);
    const [epoch, coordinators, workers, schedules, active, outbox, requests, queues] = await Promise.all([
      this.redis.get(this.keys.epoch),
      this.redis.hgetall(this.keys.coordinators),
      this.redis.hgetall(this.keys.workers),
      this.redis.zcard(this.keys.ids),
      this.redis.zcard(this.keys.due),
      this.redis.zcard(this.keys.outbox),
      this.redis.hlen(this.keys.requests),
      queueDepths.read().finally(() => queueDepths.close()),
    ]);
    const currentEpoch = Number(epoch ?? 0);
    return {
      namespace: this.options.namespace,
      epoch: currentEpoch,
      coordinators: liveHeartbeats<CoordinatorHeartbeat>(coordinators, now).map((beat) => ({ ...beat, leader: beat.leader && beat.epoch === currentEpoch })),
      workers: liveHeartbeats<WorkerHeartbeat>(workers, now),
      schedules,
      activeSchedules: active,
      outbox,
      pendingRequests: requests,
      queues,
    };
  }

  /** Ends the event subscriptions and closes the connection if the client opened it. */
  async close(): Promise<void> {
    await this.eventStream.close();
    await this.runReader.close();
    if (this.ownsConnection) await closeRedis(this.redis);
  }

  /** Replaces a schedule's whole definition (defaults for the fields not given) and its paused state, as `update` does. */
  private async replace(spec: ScheduleSpec, paused: boolean): Promise<Schedule> {
    const { id, ...fields } = spec;
    let schedule = await this.update(id, { ...fields, retry: spec.retry, timeout: spec.timeout });
    if (paused && !schedule.state.paused) schedule = await this.pause(id);
    if (!paused && schedule.state.paused) schedule = await this.resume(id);
    return schedule;
  }

  /** The time schedules change at: the given clock, else Redis time. */
  private async now(): Promise<number> {
    return this.clock ? this.clock.now() : redisTimeMs(this.redis, this.keys.leader);
  }

  private async getStored(id: string): Promise<StoredSchedule> {
    const [stored] = await readStoredSchedules(this.redis, this.keys, [id]);
    if (!stored) throw new NotFoundError('schedule', id);
    return stored;
  }

  private async request(id: string, requests: readonly RunRequest[]): Promise<void> {
    const args = requests.flatMap((request) => [request.runId, JSON.stringify({ ...request, scheduleId: id })]);
    const queued = await runScript<number>(this.redis, 'requestRuns', [this.keys.schedule(id), this.keys.requests], [this.keys.changesChannel, id, ...args]);
    if (queued < 0) throw new NotFoundError('schedule', id);
  }

  /** Reads, computes and writes a change, again when a concurrent change got there first. */
  private async change(
    id: string,
    action: 'update' | 'pause' | 'resume',
    compute: (stored: StoredSchedule, nowMs: number) => { spec: ScheduleSpec | undefined; last: number | undefined; next: { nominalMs: number; fireAtMs: number } | undefined; ranges: unknown[] },
  ): Promise<Schedule> {
    for (let attempt = 0; attempt < MAX_STALE_RETRIES; attempt++) {
      const stored = await this.getStored(id);
      const now = await this.now();
      const { spec, last, next, ranges } = compute(stored, now);
      const outcome = await runScript<string>(this.redis, 'updateSchedule', [this.keys.schedule(id), this.keys.definition(id), this.keys.due, this.keys.events], [
        id,
        stored.version,
        now,
        action,
        spec ? JSON.stringify(spec) : '',
        last ?? '',
        next?.nominalMs ?? '',
        next?.fireAtMs ?? '',
        JSON.stringify(ranges),
        this.keys.base,
        this.options.historyLimit,
        this.options.eventsMaxLength,
        this.keys.changesChannel,
        (spec ?? stored.spec).queue,
        (spec ?? stored.spec).task,
      ]);
      if (outcome === 'not-found') throw new NotFoundError('schedule', id);
      if (outcome !== 'stale') return this.get(id);
    }
    throw new Error(`schedule "${id}" kept changing during ${action}; try again`);
  }

  private async taskWarnings(task: string): Promise<string[]> {
    const now = await redisTimeMs(this.redis, this.keys.leader);
    const workers = liveHeartbeats<WorkerHeartbeat>(await this.redis.hgetall(this.keys.workers), now);
    if (workers.some((worker) => worker.tasks.includes(task))) return [];
    return [`no live worker serves task "${task}" yet; its runs wait in the queue until one does`];
  }
}

function matches(stored: StoredSchedule, filter: ListSchedulesOptions): boolean {
  const { spec } = stored;
  if (filter.task !== undefined && spec.task !== filter.task) return false;
  if (filter.queue !== undefined && spec.queue !== filter.queue) return false;
  if (filter.state !== undefined) {
    const state = stored.paused ? 'paused' : stored.nextNominalMs === undefined ? 'finished' : 'active';
    if (state !== filter.state) return false;
  }
  return Object.entries(filter.labels ?? {}).every(([key, value]) => spec.labels[key] === value);
}
