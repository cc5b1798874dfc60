import {
  LeaseLostError,
  TICKS_PER_COMMIT,
  buildRunJob,
  compileTriggerCached,
  earliestNow,
  planFires,
  scheduledRunId,
  type AdmitOutcome,
  type Clock,
  type CommitResult,
  type Lease,
  type LeaderStore,
  type LoopLiveness,
  type PendingRequest,
  type RunToAdmit,
  type StoredSchedule,
  type TickToCommit,
} from '@sundial/shared';
import type { Logger } from '../logger';
import type { Dispatcher } from './dispatcher';
import type { FireObserver, FireRecord } from './fire-observer';

/** Tuning of the fire loop. */
export interface FireLoopOptions {
  /** Schedules taken from the due set at once. @defaultValue 500 */
  readonly batchSize: number;
  /** The loop wakes at least this often (buffered fires, requests, clock re-checks). @defaultValue 1,000 ms */
  readonly maxSleepMs: number;
  /** Due fire times one schedule handles per tick. @defaultValue 10,000 */
  readonly maxFiresPerTick: number;
  /** Fire times up to this far ahead are committed early and their jobs handed over at once (the worker holds them). @defaultValue 0 */
  readonly lookaheadMs?: number;
  /** The channel on which running runs are told to abort. */
  readonly cancelChannel: string;
  /** Told the counts of every tick. */
  readonly onTick?: (summary: TickSummary) => void;
  /** Told each outcome, each job added and each tick's duration (metrics and hooks). */
  readonly observer?: FireObserver;
  /** Told every time the loop goes round, leading or not, after a failed tick too. */
  readonly liveness?: LoopLiveness;
}

/** What the loop needs from leader election. */
export interface LeaseSource {
  lease(): Lease | undefined;
  markLost(reason: string): void;
}

/** Counts of one tick, for logs and metrics. */
export interface TickSummary {
  schedules: number;
  enqueued: number;
  skipped: number;
  buffered: number;
  recorded: number;
  dispatched: number;
}

const MAX_BATCHES_PER_TICK = 20;
const MAX_REQUESTS_PER_TICK = 1_000;

/**
 * The leader's loop: sleep until the earliest due time (or a change notice), take the due
 * schedules in batches, plan their fire times, and commit each schedule's new state together
 * with its runs and their BullMQ jobs (fenced, in one script per batch). Its cost grows with due
 * fires, not with the number of schedules.
 */
export class FireLoop {
  private stopped = true;
  private wakeUp: (() => void) | undefined;
  private running: Promise<void> | undefined;
  private dispatchedEpoch = 0;

  constructor(
    private readonly store: LeaderStore,
    private readonly election: LeaseSource,
    private readonly dispatcher: Dispatcher,
    private readonly clock: Clock,
    private readonly options: FireLoopOptions,
    private readonly logger: Logger,
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.running = this.run();
  }

  /** Ends the sleep early: a schedule changed, or leadership was won. */
  wake(): void {
    this.wakeUp?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake();
    await this.running;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      this.options.liveness?.tick();
      const lease = this.election.lease();
      if (!lease) {
        await this.sleep(this.options.maxSleepMs);
        continue;
      }
      try {
        // A new leader first hands over what a previous one (of an older version) left in the outbox.
        if (this.dispatchedEpoch !== lease.epoch) {
          const recovered = await this.dispatcher.dispatch(lease);
          if (recovered > 0) this.logger.info({ runs: recovered }, 'dispatched runs left in the outbox by a previous leader');
          this.dispatchedEpoch = lease.epoch;
        }
        const summary = await this.tick(lease);
        this.options.onTick?.(summary);
        failures = 0;
        await this.sleep(await this.sleepMs());
      } catch (error) {
        if (error instanceof LeaseLostError) {
          this.election.markLost(error.message);
          continue;
        }
        failures += 1;
        const backoffMs = Math.min(this.options.maxSleepMs * 2 ** Math.min(failures - 1, 4), 15_000);
        this.logger.error({ err: error, backoffMs }, 'fire loop tick failed; retrying');
        await this.sleep(backoffMs);
      }
    }
  }

  /** One pass: operator requests, due schedules, buffered fires, runs an older coordinator left in the outbox, then cancellations. */
  async tick(lease: Lease): Promise<TickSummary> {
    const summary: TickSummary = { schedules: 0, enqueued: 0, skipped: 0, buffered: 0, recorded: 0, dispatched: 0 };
    const startedAt = performance.now();
    const now = earliestNow(this.clock);
    await this.admitRequests(lease, now, summary);
    await this.fireDue(lease, summary);
    summary.enqueued += await this.store.promoteBuffered(lease, now);
    summary.dispatched += await this.dispatcher.dispatch(lease);
    await this.dispatcher.cancel(lease, this.options.cancelChannel);
    if (summary.schedules > 0 || summary.dispatched > 0) this.logger.debug(summary, 'tick');
    this.options.observer?.ticked(performance.now() - startedAt);
    return summary;
  }

  /**
   * Fires the due schedules batch by batch, two batches in flight: while Redis commits one, the
   * next is read (on the store's read connection, answered between the commit scripts) and
   * planned. Each batch takes what is due by the time it is read, so fire times that come due
   * while a batch commits are taken by the next, in the same tick, up to its batch limit.
   *
   * Left out of a read: the schedules whose commit is under way (their due time has not moved
   * yet; once the commit has answered, a read sees their new state), and those this tick left due
   * (a backlog, changed since they were read, or not read at all): the next tick takes them.
   */
  private async fireDue(lease: Lease, summary: TickSummary): Promise<void> {
    const excluded = new Set<string>();
    const batches: Promise<void>[] = [];
    try {
      for (let batch = 0; batch < MAX_BATCHES_PER_TICK; batch++) {
        // Due means due even at the earliest the clock may be: a run is never enqueued before its time.
        const nowMs = earliestNow(this.clock);
        const horizonMs = nowMs + (this.options.lookaheadMs ?? 0);
        const ids = await this.store.dueScheduleIds(horizonMs, this.options.batchSize, excluded);
        if (ids.length === 0) break;
        const schedules = await this.store.readSchedules(ids);
        for (const id of ids) excluded.add(id);
        const committed = this.fireSchedules(lease, schedules, nowMs, horizonMs, summary).then((leftDue) => {
          // An id whose schedule could not be read stays left out too: nothing this tick moves it.
          for (const { spec } of schedules) if (!leftDue.has(spec.id)) excluded.delete(spec.id);
        });
        // Awaited below or in the finally; a rejection is not left unhandled meanwhile.
        committed.catch(() => undefined);
        await batches.at(-1);
        batches.push(committed);
      }
      await batches.at(-1);
    } finally {
      // The tick ends only once every commit it sent has answered, failed ones too.
      await Promise.allSettled(batches);
    }
  }

  /**
   * Plans the tick of each schedule and commits them, then counts and reports what happened. Each
   * script call's worth of schedules is sent as soon as it is planned: Redis commits one while
   * the next is planned.
   *
   * @returns the ids of the schedules left due: with a backlog, or not committed (changed, paused or removed since read)
   */
  private async fireSchedules(lease: Lease, schedules: readonly StoredSchedule[], nowMs: number, horizonMs: number, summary: TickSummary): Promise<Set<string>> {
    const commits: Promise<{ ticks: TickToCommit[]; results: CommitResult[] }>[] = [];
    for (let start = 0; start < schedules.length; start += TICKS_PER_COMMIT) {
      const ticks = schedules.slice(start, start + TICKS_PER_COMMIT).map((stored) => this.planTick(stored, nowMs, horizonMs));
      const committed = this.store.commitTicks(lease, ticks, nowMs).then((results) => ({ ticks, results }));
      // Settled below with the others; a rejection is not left unhandled meanwhile.
      committed.catch(() => undefined);
      commits.push(committed);
    }
    const done = await Promise.all(commits);
    const addedAtMs = this.clock.now();
    const leftDue = new Set<string>();
    for (const { ticks, results } of done) {
      ticks.forEach((tick, index) => {
        const result = results[index] as CommitResult;
        if (result.status !== 'done' || tick.plan.backlog) leftDue.add(tick.stored.spec.id);
        this.tally(tick, result, nowMs, addedAtMs, summary);
      });
    }
    return leftDue;
  }

  private planTick(stored: StoredSchedule, nowMs: number, horizonMs: number): TickToCommit {
    const { spec } = stored;
    const plan = planFires({
      trigger: compileTriggerCached(spec.trigger),
      seed: spec.id,
      lastNominalMs: stored.lastNominalMs,
      nowMs,
      horizonMs,
      misfireGraceMs: spec.misfireGrace,
      coalesce: spec.coalesce,
      catchUpLimit: spec.catchUpLimit,
      maxFiresPerTick: this.options.maxFiresPerTick,
      continuesBacklog: stored.inBacklog,
    });
    const runs: RunToAdmit[] = plan.enqueue.map((fire) => {
      const runId = scheduledRunId(spec.id, fire.nominalMs);
      return { runId, kind: 'scheduled', nominalMs: fire.nominalMs, fireAtMs: fire.fireAtMs, job: buildRunJob(spec, runId, 'scheduled', fire.nominalMs) };
    });
    return { stored, plan, runs };
  }

  /** Counts what a schedule's commit did and tells the observer; the commit added the jobs of its enqueued runs by `addedAtMs`. */
  private tally(tick: TickToCommit, result: CommitResult, nowMs: number, addedAtMs: number, summary: TickSummary): void {
    const { stored: { spec }, plan, runs } = tick;
    summary.schedules += 1;
    if (result.status !== 'done') return;
    summary.recorded += plan.recorded.reduce((total, range) => total + range.count, 0);
    for (const outcome of Object.values(result.outcomes)) {
      if (outcome === 'enqueued') summary.enqueued += 1;
      else if (outcome === 'skipped') summary.skipped += 1;
      else if (outcome === 'buffered') summary.buffered += 1;
    }
    const { observer } = this.options;
    if (!observer) return;
    for (const run of runs) {
      if (result.outcomes[run.runId] === 'enqueued') observer.added(spec.queue, addedAtMs - run.fireAtMs);
    }
    const base = { scheduleId: spec.id, task: spec.task, queue: spec.queue, decidedAtMs: nowMs };
    for (const range of plan.recorded) {
      observer.fired({ ...base, outcome: range.status, reason: range.reason, runId: rangeRunId(spec.id, range.firstNominalMs, range.lastNominalMs, range.count), nominalMs: range.firstNominalMs, count: range.count });
    }
    this.observeAdmitted(runs, result.outcomes, { ...base, overlap: spec.overlap });
  }

  /** Reports admitted runs: enqueued and buffered ones as enqueued, the others skipped by the overlap policy. */
  private observeAdmitted(runs: readonly RunToAdmit[], outcomes: Readonly<Record<string, AdmitOutcome>>, base: Pick<FireRecord, 'scheduleId' | 'task' | 'queue' | 'decidedAtMs'> & { overlap: string }): void {
    const { observer } = this.options;
    if (!observer) return;
    const { overlap, ...fields } = base;
    for (const run of runs) {
      const outcome = outcomes[run.runId];
      if (outcome === undefined || outcome === 'duplicate') continue;
      const record = { ...fields, runId: run.runId, nominalMs: run.nominalMs, count: 1 };
      if (outcome === 'skipped') observer.fired({ ...record, outcome: 'skipped', reason: overlap === 'buffer-one' ? 'buffer-full' : 'overlap' });
      else observer.fired({ ...record, outcome: 'enqueued', reason: outcome === 'buffered' ? 'buffered' : '' });
    }
  }

  private async admitRequests(lease: Lease, nowMs: number, summary: TickSummary): Promise<void> {
    const requests = await this.store.readRequests(MAX_REQUESTS_PER_TICK);
    if (requests.length === 0) return;
    const schedules = new Map((await this.store.readSchedules([...new Set(requests.map((request) => request.scheduleId))])).map((stored) => [stored.spec.id, stored]));
    for (const request of requests) {
      const stored = schedules.get(request.scheduleId);
      const run = stored ? this.requestedRun(stored, request) : undefined;
      const spec = stored?.spec ?? { queue: 'default', overlap: 'allow' as const, maxInstances: 1 };
      const result = await this.store.commitRequest(lease, request, spec, run, nowMs);
      if (result.status === 'done' && run && result.outcomes[run.runId] === 'enqueued') summary.enqueued += 1;
      if (result.status === 'done' && run && stored) {
        this.observeAdmitted([run], result.outcomes, { scheduleId: stored.spec.id, task: stored.spec.task, queue: stored.spec.queue, decidedAtMs: nowMs, overlap: request.force ? 'allow' : stored.spec.overlap });
      }
    }
  }

  private requestedRun(stored: StoredSchedule, request: PendingRequest): RunToAdmit {
    return {
      runId: request.runId,
      kind: request.kind,
      nominalMs: request.nominalMs,
      fireAtMs: request.fireAtMs,
      job: buildRunJob(stored.spec, request.runId, request.kind, request.nominalMs),
    };
  }

  /** Until the next fire time to commit (a lookahead before it is due) or run committed ahead to hand to BullMQ, at most `maxSleepMs`. */
  private async sleepMs(): Promise<number> {
    const [due, outbox] = await Promise.all([this.store.earliestDueMs(), this.store.earliestOutboxMs()]);
    const wakeAt = Math.min(due === undefined ? Infinity : due - (this.options.lookaheadMs ?? 0), outbox ?? Infinity);
    return Math.max(0, Math.min(wakeAt - earliestNow(this.clock), this.options.maxSleepMs));
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = done;
    });
  }
}

/** The id of the run record of a range of fire times, as the commit script names it. */
function rangeRunId(scheduleId: string, firstNominalMs: number, lastNominalMs: number, count: number): string {
  const first = scheduledRunId(scheduleId, firstNominalMs);
  return count > 1 ? `${first}-${lastNominalMs}` : first;
}
