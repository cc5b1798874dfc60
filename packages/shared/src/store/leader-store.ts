import type { RedisConnection } from '../redis/redis-target';
import { redisTimeMs } from '../clock';
import { LeaseLostError } from '../errors';
import type { FirePlan } from '../schedule/fire-plan';
import type { OverlapPolicy } from '../schedule/schedule-spec';
import { parseStoredSchedule, type StoredSchedule } from '../schedule/stored-schedule';
import type { RunKind } from '../runs/run-id';
import type { RunJob } from '../runs/run-job';
import type { NamespaceKeys } from './keys';
import type { RunRequest } from './run-request';
import { runScript } from './scripts';

/** The lease a leader holds: the redlock value and the fencing epoch it claimed. */
export interface Lease {
  readonly token: string;
  readonly epoch: number;
}

/** A run to admit: its id, times and the BullMQ job that will carry it. */
export interface RunToAdmit {
  readonly runId: string;
  readonly kind: RunKind;
  readonly nominalMs: number;
  readonly fireAtMs: number;
  readonly job: RunJob;
}

/** What happened to each run of a commit. */
export type AdmitOutcome = 'enqueued' | 'buffered' | 'skipped' | 'duplicate';

/** The result of a commit: done, or why not. */
export type CommitResult = { readonly status: 'done'; readonly outcomes: Readonly<Record<string, AdmitOutcome>> } | { readonly status: 'stale' | 'gone' };

/** An outbox entry: a committed run whose BullMQ job may not exist yet. */
export interface OutboxEntry {
  readonly runId: string;
  readonly fireAtMs: number;
  readonly job: RunJob;
}

/** A request waiting for the leader, with its schedule id. */
export type PendingRequest = RunRequest & { readonly requestId: string; readonly scheduleId: string };

/** Options of `LeaderStore`. */
export interface LeaderStoreOptions {
  readonly historyLimit: number;
  readonly eventsMaxLength: number;
  /** The coordinator using the store, named in the `leader.elected` event it records. */
  readonly coordinatorId?: string;
}

/** A run as the commit script takes it: the job as JSON text, which Lua stores without decoding. */
function serializeRun(run: RunToAdmit): object {
  return { runId: run.runId, kind: run.kind, nominalMs: run.nominalMs, fireAtMs: run.fireAtMs, jobJson: JSON.stringify(run.job) };
}

const COMMIT_CODES = { 0: 'done', 1: 'lease-lost', 2: 'stale', 3: 'gone' } as const;

/**
 * The state changes only the leader makes. Each runs in a Lua script that first checks the
 * caller still holds the lease (token and epoch) in the same Redis as the data: a coordinator
 * that lost leadership changes nothing and gets a `LeaseLostError`.
 */
export class LeaderStore {
  constructor(
    private readonly redis: RedisConnection,
    readonly keys: NamespaceKeys,
    private readonly options: LeaderStoreOptions,
  ) {}

  /**
   * Starts a new fencing epoch for the lease holder and records `leader.elected` with it;
   * undefined when the token does not hold the lease.
   */
  async claimEpoch(token: string, nowMs?: number): Promise<number | undefined> {
    const time = nowMs ?? (await redisTimeMs(this.redis, this.keys.leader));
    const epoch = await runScript<number>(this.redis, 'claimEpoch', [this.keys.leader, this.keys.epoch, this.keys.events], [
      token,
      this.options.coordinatorId ?? '',
      time,
      this.options.eventsMaxLength,
    ]);
    return epoch > 0 ? epoch : undefined;
  }

  /** Up to `limit` schedule ids due at or before `nowMs`, earliest first. */
  async dueScheduleIds(nowMs: number, limit: number): Promise<string[]> {
    return this.redis.zrangebyscore(this.keys.due, '-inf', nowMs, 'LIMIT', 0, limit);
  }

  /** The earliest due time of any schedule, if any is active. */
  async earliestDueMs(): Promise<number | undefined> {
    const [, score] = await this.redis.zrange(this.keys.due, 0, 0, 'WITHSCORES');
    return score === undefined ? undefined : Number(score);
  }

  /** The earliest fire time of a run waiting in the outbox, if any. */
  async earliestOutboxMs(): Promise<number | undefined> {
    const [, score] = await this.redis.zrange(this.keys.outbox, 0, 0, 'WITHSCORES');
    return score === undefined ? undefined : Number(score);
  }

  /** Schedules by id (missing ones omitted). */
  async readSchedules(ids: readonly string[]): Promise<StoredSchedule[]> {
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hgetall(this.keys.schedule(id));
    const results = (await pipeline.exec()) ?? [];
    return results.map(([, hash]) => parseStoredSchedule((hash ?? {}) as Record<string, string>)).filter((stored): stored is StoredSchedule => stored !== undefined);
  }

  /** Commits a schedule's tick: advances it per `plan` and admits `runs` under its overlap policy. */
  async commitTick(lease: Lease, stored: StoredSchedule, plan: FirePlan, runs: readonly RunToAdmit[], nowMs: number): Promise<CommitResult> {
    return this.commit(lease, stored.spec.id, nowMs, ['advance', stored.version, plan.lastNominalMs, plan.next?.nominalMs ?? '', plan.next?.fireAtMs ?? ''], {
      queue: stored.spec.queue,
      overlap: stored.spec.overlap,
      maxInstances: stored.spec.maxInstances,
      force: false,
      runs: runs.map(serializeRun),
      task: stored.spec.task,
      ranges: plan.recorded,
      backlog: plan.backlog,
    });
  }

  /** Admits an operator's request (trigger now, backfill) and deletes it. */
  async commitRequest(lease: Lease, request: PendingRequest, spec: { queue: string; task?: string; overlap: OverlapPolicy; maxInstances: number }, run: RunToAdmit | undefined, nowMs: number): Promise<CommitResult> {
    return this.commit(lease, request.scheduleId, nowMs, ['request', '', '', '', ''], {
      queue: spec.queue,
      task: spec.task,
      overlap: spec.overlap,
      maxInstances: spec.maxInstances,
      force: request.force,
      runs: run ? [serializeRun(run)] : [],
      ranges: [],
    }, request.requestId);
  }

  /**
   * Committed runs whose BullMQ jobs may not exist yet, oldest first: all of them, or those due
   * (fire time at or before `untilMs`); runs committed ahead by a lookahead wait for their time.
   */
  async readOutbox(limit: number, untilMs?: number): Promise<OutboxEntry[]> {
    const flat =
      untilMs === undefined
        ? await this.redis.zrange(this.keys.outbox, 0, limit - 1, 'WITHSCORES')
        : await this.redis.zrangebyscore(this.keys.outbox, '-inf', untilMs, 'WITHSCORES', 'LIMIT', 0, limit);
    const runIds = flat.filter((_, index) => index % 2 === 0);
    if (runIds.length === 0) return [];
    const jobs = await this.redis.hmget(this.keys.outboxJobs, ...runIds);
    return runIds.flatMap((runId, index) => {
      const job = jobs[index];
      return job ? [{ runId, fireAtMs: Number(flat[index * 2 + 1]), job: JSON.parse(job) as RunJob }] : [];
    });
  }

  /** Removes runs from the outbox once their jobs exist. @throws LeaseLostError */
  async ackDispatched(lease: Lease, runIds: readonly string[]): Promise<void> {
    if (runIds.length === 0) return;
    const ok = await runScript<number>(this.redis, 'ackDispatched', [this.keys.leader, this.keys.epoch, this.keys.outbox, this.keys.outboxJobs], [lease.token, lease.epoch, ...runIds]);
    if (ok !== 1) throw new LeaseLostError(lease.epoch);
  }

  /** Starts buffered fires whose schedules have room. @throws LeaseLostError */
  async promoteBuffered(lease: Lease, nowMs: number): Promise<number> {
    const started = await runScript<number>(this.redis, 'promoteBuffered', [this.keys.leader, this.keys.epoch, this.keys.buffered], [
      lease.token,
      lease.epoch,
      nowMs,
      this.keys.base,
      this.keys.bullPrefix,
      this.options.historyLimit,
      this.options.eventsMaxLength,
    ]);
    if (started < 0) throw new LeaseLostError(lease.epoch);
    return started;
  }

  /** Requests waiting for the leader. */
  async readRequests(limit: number): Promise<PendingRequest[]> {
    const [, flat] = await this.redis.hscan(this.keys.requests, 0, 'COUNT', limit);
    const requests: PendingRequest[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) {
      requests.push({ ...(JSON.parse(flat[i + 1] as string) as PendingRequest), requestId: flat[i] as string });
    }
    // A hash has no order; runs start in fire-time order (a backfill oldest first).
    return requests.sort((a, b) => a.nominalMs - b.nominalMs);
  }

  /** Runs the leader must cancel, with their queues and why (`cancel-previous` or `operator`). */
  async readCancels(): Promise<{ runId: string; queue: string; reason: string }[]> {
    const hash = await this.redis.hgetall(this.keys.cancels);
    return Object.entries(hash).map(([runId, entry]) => {
      const separator = entry.lastIndexOf('|');
      // An entry without a reason was written by `overlap: cancel-previous` before reasons were kept.
      if (separator < 0) return { runId, queue: entry, reason: 'cancel-previous' };
      return { runId, queue: entry.slice(0, separator), reason: entry.slice(separator + 1) };
    });
  }

  /** Records how cancellations ended. @throws LeaseLostError */
  async settleCancels(lease: Lease, outcomes: readonly { runId: string; status: 'cancelled' | 'aborting' | 'finished' }[], nowMs: number): Promise<void> {
    if (outcomes.length === 0) return;
    const ok = await runScript<number>(this.redis, 'settleCancels', [this.keys.leader, this.keys.epoch, this.keys.cancels, this.keys.events], [
      lease.token,
      lease.epoch,
      nowMs,
      this.keys.base,
      this.options.eventsMaxLength,
      ...outcomes.flatMap((outcome) => [outcome.runId, outcome.status]),
    ]);
    if (ok !== 1) throw new LeaseLostError(lease.epoch);
  }

  private async commit(lease: Lease, scheduleId: string, nowMs: number, modeArgs: (string | number)[], payload: object, requestId = ''): Promise<CommitResult> {
    const [code, outcomes] = await runScript<[number, string]>(
      this.redis,
      'commitFires',
      [this.keys.leader, this.keys.epoch, this.keys.schedule(scheduleId), this.keys.due, this.keys.requests, this.keys.events],
      [
        lease.token,
        lease.epoch,
        nowMs,
        ...modeArgs,
        this.keys.base,
        this.keys.bullPrefix,
        JSON.stringify({ scheduleId, ...payload }),
        requestId,
        this.options.historyLimit,
        this.options.eventsMaxLength,
      ],
    );
    const status = COMMIT_CODES[code as keyof typeof COMMIT_CODES];
    if (status === 'lease-lost') throw new LeaseLostError(lease.epoch);
    if (status === 'done') return { status, outcomes: JSON.parse(outcomes) as Record<string, AdmitOutcome> };
    return { status: status ?? 'stale' };
  }
}
