import { startManualCoordinator, type ManualCoordinator, type TickSummary } from '@sundial/coordinator';
import { QueueSet, SundialClient, ValidationError, closeRedis, createRedisConnection, namespaceKeys, parseDuration, type NamespaceKeys, type RunStatus } from '@sundial/shared';
import { startWorker, type SundialWorker } from '@sundial/worker';
import { Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { AdvanceInProgressError, EnvironmentNotRunningError, RunsNotSettledError, type UnsettledRun } from './environment-errors';
import { startOwnRedisServer, type OwnRedisServer } from './own-redis-server';
import { ParkedRetries } from './parked-retries';
import { RunSettler, type SettleMode } from './run-settler';
import { parseInstantInput, resolveTestEnvironmentOptions, type InstantInput, type ResolvedTestEnvironmentOptions, type TestEnvironmentOptions } from './test-environment-options';
import { readTestRuns, runSignature, type TestRun } from './test-run';
import { VirtualClock } from './virtual-clock';

/** Options of {@link TestEnvironment.advanceTo} and {@link TestEnvironment.advanceBy}. */
export interface AdvanceOptions {
  /**
   * What to wait for at each virtual instant before time moves on: `settled` (every run that
   * became runnable has finished, or waits for its next attempt) or `started` (every such run has
   * started; runs still running go on while time moves, for handlers the test holds back).
   *
   * @defaultValue `"settled"`
   */
  wait?: SettleMode;
}

/** Filters of {@link TestEnvironment.runs}. */
export interface TestRunFilter {
  scheduleId?: string;
  status?: RunStatus;
}

type State = 'created' | 'starting' | 'running' | 'closing' | 'closed';

/** What a started environment holds. */
interface Started {
  readonly server: OwnRedisServer | undefined;
  readonly url: string;
  readonly redis: Redis;
  readonly coordinator: ManualCoordinator;
  readonly worker: SundialWorker;
  readonly client: SundialClient;
  readonly queues: QueueSet;
  readonly settler: RunSettler;
}

/** More passes of the fire loop than this at one virtual instant mean something keeps changing. */
const MAX_ROUNDS_PER_INSTANT = 1_000;
/** How long cancelled runs may take to end after a settle timeout. */
const CANCEL_WAIT_MS = 2_000;

/**
 * A Sundial cluster in miniature whose time a test controls: an isolated namespace, a coordinator
 * whose fire loop runs on a virtual clock, and an in-process worker that runs the given tasks.
 * Moving time with {@link advanceTo} or {@link advanceBy} fires everything due in between, in
 * order, without waiting; the production code decides misfire, coalesce, overlap, pause and
 * daylight saving time. Create one with {@link createTestEnvironment}.
 */
export class TestEnvironment {
  /** The namespace: `test-<random>`, unique to this environment. */
  readonly namespace = `test-${randomBytes(6).toString('hex')}`;
  private readonly options: ResolvedTestEnvironmentOptions;
  private readonly keys: NamespaceKeys;
  private readonly clock: VirtualClock;
  private readonly parked: ParkedRetries;
  private state: State = 'created';
  private started: Started | undefined;
  private advancing = false;
  /** The runs as the last advance returned them, to tell what happened since. */
  private reported = new Map<string, string>();
  private closing: Promise<void> | undefined;

  /** @throws ValidationError naming the option */
  constructor(options: TestEnvironmentOptions) {
    this.options = resolveTestEnvironmentOptions(options, Date.now());
    this.keys = namespaceKeys(this.namespace);
    this.clock = new VirtualClock(this.options.startMs);
    this.parked = new ParkedRetries(() => this.clock.now());
  }

  /**
   * Starts Redis (unless one was given), the coordinator and the worker. Resolves to the
   * environment itself.
   *
   * @throws ValidationError naming a worker option (`tasks`, `concurrency`, ...); an error when `redis-server` cannot start
   */
  async start(): Promise<this> {
    if (this.state === 'running') return this;
    if (this.state !== 'created') throw new EnvironmentNotRunningError(this.state);
    this.state = 'starting';
    const logger = this.options.logger ?? pino({ level: 'silent' });
    let server: OwnRedisServer | undefined;
    let redis: Redis | undefined;
    let coordinator: ManualCoordinator | undefined;
    let worker: SundialWorker | undefined;
    try {
      server = this.options.redis === undefined ? await startOwnRedisServer() : undefined;
      const url = this.options.redis ?? (server as OwnRedisServer).url;
      redis = createRedisConnection(url, { connectionName: 'sundial:testing' });
      worker = await startWorker({
        tasks: this.options.tasks,
        connection: url,
        namespace: this.namespace,
        concurrency: this.options.concurrency,
        defaults: this.options.defaults,
        // A run still in flight when the environment closes is aborted at once.
        shutdownGraceMs: 0,
        logger,
        clock: this.clock,
        retryDueAt: this.parked.park,
      });
      // A long lease: a handler that blocks the event loop for seconds must not cost the lead.
      coordinator = await startManualCoordinator({ connection: redis, namespace: this.namespace, clock: this.clock, logger, leaseMs: 30_000, renewEveryMs: 2_000 });
      const client = new SundialClient({ connection: redis, namespace: this.namespace, clock: this.clock });
      const queues = new QueueSet(redis, this.keys);
      const settler = new RunSettler(redis, this.keys.queues, worker.options.queues, queues, this.parked);
      this.started = { server, url, redis, coordinator, worker, client, queues, settler };
      this.state = 'running';
      return this;
    } catch (error) {
      await worker?.close().catch(() => undefined);
      await coordinator?.stop().catch(() => undefined);
      if (redis) await closeRedis(redis).catch(() => undefined);
      await server?.stop().catch(() => undefined);
      this.state = 'closed';
      throw error;
    }
  }

  /** A client of the namespace, on virtual time: add, pause, resume and trigger schedules with it. */
  get client(): SundialClient {
    return this.running().client;
  }

  /** The in-process worker: its `on()` hooks receive the events of the runs it executes. */
  get worker(): SundialWorker {
    return this.running().worker;
  }

  /** The URL of the Redis in use (the environment's own server, or the one given). */
  get redisUrl(): string {
    return this.running().url;
  }

  /** The current virtual time. */
  now(): Date {
    return new Date(this.clock.now());
  }

  /**
   * Moves virtual time to `instant`, stepping through every instant at which something is due
   * (a schedule's fire, a retry, a buffered fire) in order; at each one the coordinator fires what
   * is due and the worker runs it (`wait` says how far) before time moves on. Returns the runs
   * that happened: those whose records were created or changed since the previous advance
   * returned (a run the test let finish in between included), oldest fire time first.
   *
   * @throws ValidationError naming `instant` when it is invalid or before {@link now};
   *   EnvironmentNotRunningError before `start()` or after `close()`; RunsNotSettledError when runs
   *   did not settle within `settleTimeoutMs` (time then stays at the instant reached)
   */
  async advanceTo(instant: InstantInput, options: AdvanceOptions = {}): Promise<TestRun[]> {
    this.running();
    const targetMs = parseInstantInput(instant, this.options.zone, 'instant');
    if (targetMs < this.clock.now()) {
      throw new ValidationError('instant', `${new Date(targetMs).toISOString()} is before the environment's current time ${this.now().toISOString()}; virtual time only moves forward`);
    }
    return this.advance(targetMs, options);
  }

  /**
   * Moves virtual time forward by `duration` (`"90s"`, `"1h"`, `"2d"`, or milliseconds), as {@link advanceTo}.
   *
   * @throws ValidationError naming `duration`; as {@link advanceTo} otherwise
   */
  async advanceBy(duration: string | number, options: AdvanceOptions = {}): Promise<TestRun[]> {
    this.running();
    const ms = typeof duration === 'string' || typeof duration === 'number' ? parseDuration(duration) : undefined;
    if (ms === undefined || !Number.isSafeInteger(ms) || ms < 0) {
      throw new ValidationError('duration', `expected a duration of 0 or more, such as "90s", "1h" or "2d", or milliseconds, got ${JSON.stringify(duration)}`);
    }
    return this.advance(this.clock.now() + ms, options);
  }

  /** Every run of the namespace (or of one schedule, or with one status), oldest fire time first. */
  async runs(filter: TestRunFilter = {}): Promise<TestRun[]> {
    const runs = await this.readRuns(filter.scheduleId);
    return filter.status === undefined ? runs : runs.filter((run) => run.status === filter.status);
  }

  /**
   * Stops the worker (aborting runs still in flight) and the coordinator, deletes the
   * namespace's keys and stops the environment's own Redis. Safe to call more than once.
   */
  close(): Promise<void> {
    this.closing ??= this.release();
    return this.closing;
  }

  private async release(): Promise<void> {
    const started = this.started;
    this.state = 'closing';
    if (started) {
      await started.worker.close().catch(() => undefined);
      await started.coordinator.stop().catch(() => undefined);
      await started.client.close().catch(() => undefined);
      await started.queues.close().catch(() => undefined);
      await this.deleteKeys(started.redis).catch(() => undefined);
      await closeRedis(started.redis).catch(() => undefined);
      await started.server?.stop();
    }
    this.state = 'closed';
  }

  private running(): Started {
    if (this.state !== 'running' || !this.started) throw new EnvironmentNotRunningError(this.state === 'running' ? 'starting' : this.state);
    return this.started;
  }

  private async advance(targetMs: number, options: AdvanceOptions): Promise<TestRun[]> {
    const mode = options.wait ?? 'settled';
    if (mode !== 'settled' && mode !== 'started') throw new ValidationError('wait', `expected "settled" or "started", got ${JSON.stringify(options.wait)}`);
    if (this.advancing) throw new AdvanceInProgressError();
    this.advancing = true;
    try {
      for (;;) {
        await this.runInstant(mode);
        const next = await this.nextInstantMs();
        if (next === undefined || next > targetMs) break;
        this.clock.moveTo(next);
      }
      if (this.clock.now() < targetMs) {
        this.clock.moveTo(targetMs);
        await this.runInstant(mode);
      }
      const runs = await this.readRuns();
      const happened = runs.filter((run) => this.reported.get(run.runId) !== runSignature(run));
      this.reported = new Map(runs.map((run) => [run.runId, runSignature(run)]));
      return happened;
    } finally {
      this.advancing = false;
    }
  }

  /**
   * Handles everything due at the current virtual instant: lets runs the test released finish,
   * then promotes due retries and ticks the fire loop until a pass changes nothing, letting the
   * runs settle after each pass (a run that finishes may let a buffered fire start).
   */
  private async runInstant(mode: SettleMode): Promise<void> {
    const { coordinator } = this.running();
    await this.settle(mode);
    for (let round = 0; round < MAX_ROUNDS_PER_INSTANT; round++) {
      const promoted = await this.promoteDueRetries();
      const summary = await coordinator.tick();
      await this.settle(mode);
      if (promoted === 0 && !changedAnything(summary)) return;
    }
    throw new Error(`the fire loop kept finding work at ${this.now().toISOString()} for ${MAX_ROUNDS_PER_INSTANT} passes`);
  }

  /** The next instant at which a schedule or a retry is due. */
  private async nextInstantMs(): Promise<number | undefined> {
    const due = await this.running().coordinator.nextDueMs();
    const retry = this.parked.earliestDueMs();
    if (due === undefined) return retry;
    return retry === undefined ? due : Math.min(due, retry);
  }

  /** Makes the parked retries due by now runnable. */
  private async promoteDueRetries(): Promise<number> {
    const { queues } = this.running();
    let promoted = 0;
    for (const retry of this.parked.takeDue(this.clock.now())) {
      const job = await Job.fromId(queues.get(retry.queue), retry.runId);
      if (!job || (await job.getState()) !== 'delayed') continue;
      await job.promote();
      promoted += 1;
    }
    return promoted;
  }

  /** Waits for the runs to settle; cancels those that do not within the bound, and says which. */
  private async settle(mode: SettleMode): Promise<void> {
    const { settler } = this.running();
    const unsettled = await settler.settle(mode, this.options.settleTimeoutMs);
    if (unsettled.length === 0) return;
    await this.cancel(unsettled);
    throw new RunsNotSettledError(unsettled, this.options.settleTimeoutMs);
  }

  /** Cancels runs as an operator would (`cancelRun`): the leader removes waiting jobs and aborts running ones. */
  private async cancel(runs: readonly UnsettledRun[]): Promise<void> {
    const { redis, coordinator, settler } = this.running();
    for (const run of runs) this.parked.forget(run.runId);
    await redis.hset(this.keys.cancels, Object.fromEntries(runs.map((run) => [run.runId, `${run.queue}|operator`])));
    await coordinator.tick();
    await settler.settle('settled', CANCEL_WAIT_MS);
  }

  private async readRuns(scheduleId?: string): Promise<TestRun[]> {
    const { redis, client } = this.running();
    return readTestRuns(redis, this.keys, client, this.options.zone, scheduleId);
  }

  /** Deletes the namespace's keys (`sundial:{<namespace>}:*`, BullMQ's included) and no others. */
  private async deleteKeys(redis: Redis): Promise<void> {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${this.keys.base}:*`, 'COUNT', 1_000);
      cursor = next;
      if (keys.length > 0) await redis.unlink(...keys);
    } while (cursor !== '0');
  }
}

/** Whether a pass of the fire loop committed, recorded or dispatched anything. */
function changedAnything(summary: TickSummary): boolean {
  return summary.schedules + summary.enqueued + summary.skipped + summary.buffered + summary.recorded + summary.dispatched > 0;
}

/**
 * Creates and starts a {@link TestEnvironment}.
 *
 * @example
 * const env = await createTestEnvironment({ tasks: [report], start: '2026-03-07T00:00', timezone: 'America/New_York' });
 * await env.client.add({ id: 'nightly', task: 'report', trigger: { cron: '30 2 * * *', timezone: 'America/New_York' } });
 * const runs = await env.advanceBy('2d');
 * await env.close();
 * @throws ValidationError naming the option; an error when `redis-server` cannot start
 */
export function createTestEnvironment(options: TestEnvironmentOptions): Promise<TestEnvironment> {
  return new TestEnvironment(options).start();
}
