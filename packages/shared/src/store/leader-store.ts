import type { RedisConnection } from '../redis/redis-target';
import { redisTimeMs } from '../clock';
import { LeaseLostError } from '../errors';
import type { FirePlan } from '../schedule/fire-plan';
import type { OverlapPolicy } from '../schedule/schedule-spec';
import type { StoredSchedule } from '../schedule/stored-schedule';
import { DefinitionCache } from './definition-cache';
import { readStoredSchedules } from './stored-schedule-reader';
import type { RunJob } from '../runs/run-job';
import { DEFAULT_JOB_RETENTION, type JobRetention } from '../runs/bull-job';
import { commitResult, runHeader, runJobArgs, tickArgs, type CommitReply, type CommitResult, type RunToAdmit, type TickToCommit } from './commit-script';
import type { NamespaceKeys } from './keys';
import type { RunRequest } from './run-request';
import { runScript } from './scripts';

/** The lease a leader holds: the redlock value and the fencing epoch it claimed. */
export interface Lease {
  readonly token: string;
  readonly epoch: number;
}

export type { RunToAdmit, TickToCommit, AdmitOutcome, CommitResult } from './commit-script';

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
  /** How long BullMQ keeps the finished jobs of the runs the store adds. @defaultValue {@link DEFAULT_JOB_RETENTION} */
  readonly jobRetention?: JobRetention;
  /**
   * A second connection to the same Redis for reading due schedules, so that a read is answered
   * between the commit scripts queued on the main connection rather than after all of them.
   * @defaultValue the main connection
   */
  readonly readConnection?: RedisConnection;
}

/** Schedules one `commitFires` call commits at most: bounds how long one call holds Redis. */
export const TICKS_PER_COMMIT = 100;

/**
 * The state changes only the leader makes. Each runs in a Lua script that first checks the
 * caller still holds the lease (token and epoch) in the same Redis as the data: a coordinator
 * that lost leadership changes nothing and gets a `LeaseLostError`.
 */
export class LeaderStore {
  /** Definitions of the schedules the leader fires, so that firing one reads only its state. */
  private readonly definitions = new DefinitionCache();
  private readonly reads: RedisConnection;

  constructor(
    private readonly redis: RedisConnection,
    readonly keys: NamespaceKeys,
    private readonly options: LeaderStoreOptions,
  ) {
    this.reads = options.readConnection ?? redis;
  }

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

  /**
   * Up to `limit` schedule ids due at or before `nowMs`, earliest first, leaving out those in
   * `excluded` (schedules the caller is handling already, e.g. whose commit is still under way).
   */
  async dueScheduleIds(nowMs: number, limit: number, excluded: ReadonlySet<string> = new Set()): Promise<string[]> {
    const ids = await this.reads.zrangebyscore(this.keys.due, '-inf', nowMs, 'LIMIT', 0, limit + excluded.size);
    return excluded.size === 0 ? ids : ids.filter((id) => !excluded.has(id)).slice(0, limit);
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
    const schedules = await readStoredSchedules(this.reads, this.keys, ids, this.definitions);
    return schedules.filter((stored): stored is StoredSchedule => stored !== undefined);
  }

  /** Commits a schedule's tick: advances it per `plan` and admits `runs` under its overlap policy. @throws LeaseLostError */
  async commitTick(lease: Lease, stored: StoredSchedule, plan: FirePlan, runs: readonly RunToAdmit[], nowMs: number): Promise<CommitResult> {
    const [result] = await this.commitTicks(lease, [{ stored, plan, runs }], nowMs);
    return result as CommitResult;
  }

  /**
   * Commits the ticks of many schedules, `TICKS_PER_COMMIT` to a script call, the calls
   * pipelined: each schedule as `commitTick` would, with its own version check and result (in the
   * order of `ticks`). @throws LeaseLostError
   */
  async commitTicks(lease: Lease, ticks: readonly TickToCommit[], nowMs: number): Promise<CommitResult[]> {
    const chunks: (readonly TickToCommit[])[] = [];
    for (let start = 0; start < ticks.length; start += TICKS_PER_COMMIT) chunks.push(ticks.slice(start, start + TICKS_PER_COMMIT));
    const results = await Promise.all(chunks.map((chunk) => this.commitChunk(lease, chunk, nowMs)));
    return results.flat();
  }

  /** Admits an operator's request (trigger now, backfill) and deletes it. @throws LeaseLostError */
  async commitRequest(lease: Lease, request: PendingRequest, spec: { queue: string; task?: string; overlap: OverlapPolicy; maxInstances: number }, run: RunToAdmit | undefined, nowMs: number): Promise<CommitResult> {
    const runs = run ? [run] : [];
    const payload = { scheduleId: request.scheduleId, queue: spec.queue, task: spec.task, overlap: spec.overlap, maxInstances: spec.maxInstances, force: request.force, runs: runs.map(runHeader) };
    const reply = await runScript<CommitReply>(
      this.redis,
      'commitRequest',
      [this.keys.leader, this.keys.epoch, this.keys.schedule(request.scheduleId), this.keys.due, this.keys.requests, this.keys.events],
      [...this.commitArgs(lease, nowMs), request.requestId, JSON.stringify(payload), ...runs.flatMap((each) => runJobArgs(each, nowMs, this.retention))],
    );
    return commitResult(reply, runs, lease.epoch);
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

  private async commitChunk(lease: Lease, ticks: readonly TickToCommit[], nowMs: number): Promise<CommitResult[]> {
    const [code, ...replies] = await runScript<[number, ...CommitReply[]]>(
      this.redis,
      'commitFires',
      [this.keys.leader, this.keys.epoch, this.keys.due, this.keys.events],
      [...this.commitArgs(lease, nowMs), ...ticks.flatMap((tick) => tickArgs(tick, nowMs, this.retention))],
    );
    if (code !== 0) throw new LeaseLostError(lease.epoch);
    if (replies.length !== ticks.length) throw new Error(`commitFires answered for ${replies.length} of ${ticks.length} schedules`);
    return ticks.map((tick, index) => commitResult(replies[index] as CommitReply, tick.runs, lease.epoch));
  }

  private get retention(): JobRetention {
    return this.options.jobRetention ?? DEFAULT_JOB_RETENTION;
  }

  /** The arguments both commit scripts start with. */
  private commitArgs(lease: Lease, nowMs: number): (string | number)[] {
    return [lease.token, lease.epoch, nowMs, this.keys.base, this.keys.bullPrefix, this.options.historyLimit, this.options.eventsMaxLength];
  }
}
