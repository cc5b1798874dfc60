import { earliestNow, type AttemptStart, type AttemptState, type Clock, type JobAttempts, type RedisConnection, type RunTracker, type WorkerMetrics } from '@sundial/shared';
import { DelayedError, UnrecoverableError as BullUnrecoverableError, type Job } from 'bullmq';
import { setMaxListeners } from 'node:events';
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import { backoffDelayMs } from '../define-task';
import { TaskTimeoutError, type TaskDefinition } from '../task-definition';
import type { ResolvedWorkerOptions } from '../worker-options';
import { RunCancelledError, WorkerShutdownError, describeError, failureKind } from './abort-reasons';
import { attemptContext, attemptLogger, runAttempt } from './attempt';
import { dueAtOf, holdUntilDue } from './hold-until-due';
import type { ExecutorPool } from './executor-pool';
import type { GlobalConcurrency, GlobalLease } from './global-concurrency';
import { attemptInRound, resolveRunSettings, retryRemains } from './run-settings';
import { Semaphore } from './semaphore';
import { attemptStateOf, isRunJobData, scheduleOverridesOf, type RunJobOf } from './worker-job';

/**
 * How long a job for a task this worker does not serve waits before a worker takes it again.
 * Every worker of the queue races for it when it is due, so a worker that serves the task gets it
 * after a few such waits at most, typically the first.
 */
export const UNSERVED_TASK_DELAY_MS = 500;
/** How long a job waits when its task's concurrency is full, before jitter (up to as much again). */
export const LIMIT_FULL_DELAY_MS = 200;

/** What a `RunProcessor` works with. */
export interface RunProcessorDeps {
  readonly options: ResolvedWorkerOptions;
  readonly tracker: RunTracker;
  readonly clock: Clock;
  readonly globalConcurrency: GlobalConcurrency;
  readonly executors: ExecutorPool;
  readonly logger: Logger;
  /** Where each attempt's outcome and duration are counted, when the worker serves metrics. */
  readonly metrics?: WorkerMetrics;
}

/** Resolves after `ms`, or at once when `settled` settles first; never rejects. */
async function settledWithin(settled: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([settled.then(() => undefined, () => undefined), new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

/** What one attempt of a run is run with. */
interface AttemptControls {
  /** Aborts the handler: a cancel, the timeout, the shutdown. */
  readonly controller: AbortController;
  /** What the start will find, read while the run was held; undefined for a run that was not. */
  readonly preview: AttemptStart | undefined;
  /** Gives back the process's concurrency slot; called once the handler ended (more calls do nothing). */
  readonly releaseSlot: () => void;
  /** The connection of the BullMQ Worker that took the job, which completes it; undefined when not known. */
  readonly completion: RedisConnection | undefined;
}

/**
 * Runs the jobs BullMQ hands to a worker: finds the task, applies the concurrency limits (per
 * process, per task in the process, per task across the cluster), records each attempt with the
 * `RunTracker`, runs the handler with its context, and retries, fails or completes the job.
 *
 * Waits that are not attempts (a task this worker does not serve, a task at its limit, a
 * shutdown) move the job back to `delayed` for a short while and throw BullMQ's `DelayedError`:
 * the job is not failed and its attempt count does not change. Retries are made the same way,
 * after the failed attempt is recorded, so the task's retry policy applies even when the job has
 * no `attempts` of its own; a run that fails for good throws BullMQ's `UnrecoverableError`, so
 * BullMQ never retries on its own.
 */
export class RunProcessor {
  private readonly processSlots: Semaphore;
  private readonly taskSlots = new Map<string, Semaphore>();
  private readonly controllers = new Map<string, AbortController>();
  private readonly pending = new Set<Promise<unknown>>();
  private readonly unservedLogged = new Set<string>();
  private readonly shutdown = new AbortController();
  private closing = false;

  constructor(private readonly deps: RunProcessorDeps) {
    this.processSlots = new Semaphore(deps.options.concurrency);
    // Every held run listens for the shutdown: as many as the prefetch allows.
    setMaxListeners(0, this.shutdown.signal);
  }

  /** Runs in flight now (holding a slot of the process's concurrency). */
  get inFlight(): number {
    return this.processSlots.inUse;
  }

  /** The BullMQ processor function. */
  readonly process = (job: Job, token?: string): Promise<unknown> => this.processOn(undefined)(job, token);

  /**
   * The processor function of a BullMQ Worker whose commands go over `connection` (the instance
   * given as its `connection`): a run's success is recorded on it, just ahead of the completion.
   */
  processOn(connection: RedisConnection | undefined): (job: Job, token?: string) => Promise<unknown> {
    return (job, token) => this.track(this.processJob(job, token, connection));
  }

  /** Keeps `work` among the jobs being processed (see `drain`) until it settles. */
  private track(work: Promise<unknown>): Promise<unknown> {
    this.pending.add(work);
    const forget = (): void => void this.pending.delete(work);
    work.then(forget, forget);
    return work;
  }

  /** Aborts a run in flight here, if it is: the cancel channel named it. */
  cancel(runId: string): void {
    this.controllers.get(runId)?.abort(new RunCancelledError(runId));
  }

  /** Takes no new run: jobs waiting for a slot, and jobs that arrive from now on, go back to their queue. */
  beginShutdown(): void {
    this.closing = true;
    this.shutdown.abort(new WorkerShutdownError(this.deps.options.shutdownGraceMs));
    this.processSlots.rejectWaiters(new WorkerShutdownError(this.deps.options.shutdownGraceMs));
  }

  /** Aborts the signal of every run in flight with `reason`. */
  abortAll(reason: unknown): void {
    for (const controller of this.controllers.values()) controller.abort(reason);
  }

  /** Waits until no job is being processed, at most `timeoutMs`; whether none is. */
  async drain(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.pending.size > 0) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) return false;
      await settledWithin(Promise.allSettled([...this.pending]), remaining);
    }
    return true;
  }

  private async processJob(job: Job, token: string | undefined, completion: RedisConnection | undefined): Promise<unknown> {
    if (!isRunJobData(job.data)) throw new BullUnrecoverableError('the job carries no Sundial run: its data lacks runId, task or fireTime');
    const runJob = job as RunJobOf;
    const task = this.deps.options.tasks.get(runJob.data.task);
    if (!task) {
      this.logUnserved(runJob);
      return this.putBack(runJob, token, UNSERVED_TASK_DELAY_MS);
    }
    // A run handed over ahead goes back until its time, so that the next worker does not hold it meanwhile.
    if (this.closing) return this.putBack(runJob, token, Math.max(0, (dueAtOf(runJob.data.fireAt) ?? 0) - this.deps.clock.now()));
    // Registered before waiting for a slot, so a cancellation from now on reaches the run.
    const { runId } = runJob.data;
    const controller = new AbortController();
    this.controllers.set(runId, controller);
    try {
      // A run handed over ahead of its time waits here, outside the process's concurrency. What
      // its start will find is read before, so that at its time the handler need not wait for Redis.
      const dueAtMs = dueAtOf(runJob.data.fireAt);
      let preview: AttemptStart | undefined;
      if (dueAtMs !== undefined && dueAtMs > earliestNow(this.deps.clock)) {
        preview = await this.deps.tracker.preview(runJob.data, this.jobAttempts(runJob));
        if (preview?.admitted === false) return this.dropFinished(runJob, task);
        this.deps.metrics?.holding(task.name);
        const held = await holdUntilDue(dueAtMs, this.deps.clock, controller.signal, this.shutdown.signal).finally(() => this.deps.metrics?.released(task.name));
        if (held === 'shutdown') return await this.putBack(runJob, token, Math.max(0, dueAtMs - this.deps.clock.now()));
      }
      try {
        await this.processSlots.acquire();
      } catch {
        return await this.putBack(runJob, token, 0);
      }
      // The slot is for the handler: it is given back as soon as the handler ends, before the outcome is recorded.
      let released = false;
      const releaseSlot = (): void => {
        if (released) return;
        released = true;
        this.processSlots.release();
      };
      try {
        return await this.runWithinTaskLimits(runJob, token, task, { controller, preview, releaseSlot, completion });
      } finally {
        releaseSlot();
      }
    } finally {
      if (this.controllers.get(runId) === controller) this.controllers.delete(runId);
    }
  }

  private async runWithinTaskLimits(job: RunJobOf, token: string | undefined, task: TaskDefinition, attempt: AttemptControls): Promise<unknown> {
    const local = this.taskSemaphore(task);
    if (local && !local.tryAcquire()) return this.putBack(job, token, limitFullDelay());
    try {
      let lease: GlobalLease | undefined;
      if (task.globalConcurrency !== undefined) {
        lease = await this.deps.globalConcurrency.tryAcquire(task.name, task.globalConcurrency, job.data.runId);
        if (!lease) return await this.putBack(job, token, limitFullDelay());
      }
      try {
        return await this.runAttempt(job, token, task, attempt);
      } finally {
        if (lease) await this.deps.globalConcurrency.release(lease).catch((error: unknown) => this.deps.logger.warn({ err: error, task: task.name }, 'could not release a global concurrency slot; it expires by itself'));
      }
    } finally {
      local?.release();
    }
  }

  /**
   * Runs one attempt. With a `preview` (read while the run was held), the start is recorded while
   * the handler already runs, and awaited before the outcome is recorded, so the records stay in
   * order.
   */
  private async runAttempt(job: RunJobOf, token: string | undefined, task: TaskDefinition, { controller, preview, releaseSlot, completion }: AttemptControls): Promise<unknown> {
    const admitted = preview?.admitted ? preview : undefined;
    const startedAtMs = this.deps.clock.now();
    // A held run records its start once every handler due at this instant has been called.
    const starting = admitted ? afterPendingTimers(() => this.deps.tracker.start(job.data, this.jobAttempts(job), startedAtMs)) : this.deps.tracker.start(job.data, this.jobAttempts(job), startedAtMs);
    if (admitted) starting.catch(() => undefined);
    const admission = admitted ?? (await starting);
    if (!admission.admitted) return this.dropFinished(job, task);
    const { state } = admission;
    // A run without a record keeps its attempt state in its job, for a takeover after a stall.
    if (!admission.recorded) await job.updateData({ ...job.data, execution: state });
    const logger = attemptLogger(this.deps.logger, { ...job.data, attempt: state.attempt }, task.name);
    const { metrics } = this.deps;
    const settings = resolveRunSettings(scheduleOverridesOf(job), task, this.deps.options.defaults);
    logger.debug('attempt started');
    if (metrics && state.attempt === 1) metrics.startDelayed(task.name, this.deps.clock.now() - (admission.dueAtMs ?? Date.parse(job.data.fireTime)));
    const started = performance.now();
    const context = attemptContext(job, state.attempt, controller.signal, logger);
    metrics?.started(task.name);
    const outcome = await runAttempt(this.deps.executors.get(task.executor ?? 'inline'), task, context, controller, settings.timeoutMs);
    releaseSlot();
    metrics?.ended(task.name);
    if (admitted) await this.confirmStart(starting, state, logger);
    const durationMs = Math.round(performance.now() - started);
    if (!outcome.ok) return await this.settleFailure(job, token, state, settings.retry, outcome.error, durationMs, logger);
    metrics?.finished(task.name, 'succeeded', durationMs);
    if (!completion) {
      await this.deps.tracker.succeeded(job.data, state.attempt, this.deps.clock.now(), outcome.result, durationMs);
      logger.info({ durationMs }, 'run succeeded');
      return outcome.result;
    }
    // Sent on the connection BullMQ completes the job on, and not waited for: the completion
    // follows it on the same connection, so Redis records the success before the job completes,
    // and the two share one round trip. A record that fails is logged; its job still completes.
    this.deps.tracker
      .succeeded(job.data, state.attempt, this.deps.clock.now(), outcome.result, durationMs, completion)
      .then(() => logger.info({ durationMs }, 'run succeeded'))
      .catch((error: unknown) => logger.error({ err: error, durationMs }, 'run succeeded but its success could not be recorded'));
    return outcome.result;
  }

  private async settleFailure(
    job: RunJobOf,
    token: string | undefined,
    state: AttemptState,
    retry: ReturnType<typeof resolveRunSettings>['retry'],
    error: unknown,
    durationMs: number,
    logger: Logger,
  ): Promise<never> {
    const { task } = job.data;
    const { metrics, tracker } = this.deps;
    const kind = failureKind(error);
    const message = describeError(error);
    const timedOut = error instanceof TaskTimeoutError;
    const now = this.deps.clock.now();
    if (kind === 'cancelled') {
      metrics?.finished(task, 'cancelled', durationMs);
      await tracker.cancelled(job.data, state.attempt, now, message, durationMs);
      logger.warn({ durationMs }, 'run cancelled');
      throw new BullUnrecoverableError(message);
    }
    if (kind === 'shutdown') {
      // Like a worker that died: the run goes back to its queue for another worker.
      metrics?.finished(task, 'retried', durationMs);
      await tracker.failed(job.data, state.attempt, now, { error: message, durationMs, willRetry: true });
      logger.warn({ durationMs }, 'run interrupted by the shutdown; back to its queue');
      return this.putBack(job, token, 0);
    }
    if (kind === 'retryable' && retryRemains(state, retry)) {
      const delayMs = Math.max(0, Math.round(backoffDelayMs(retry, attemptInRound(state), error instanceof Error ? error : new Error(String(error)), Math.random)));
      metrics?.finished(task, timedOut ? 'timed_out' : 'retried', durationMs);
      await tracker.failed(job.data, state.attempt, now, { error: message, durationMs, willRetry: true, timedOut });
      logger.warn({ err: error, durationMs, delayMs }, timedOut ? 'attempt timed out; retrying' : 'attempt failed; retrying');
      return this.putBackForRetry(job, token, delayMs);
    }
    metrics?.finished(task, timedOut ? 'timed_out' : 'failed', durationMs);
    await tracker.failed(job.data, state.attempt, now, { error: message, durationMs, willRetry: false, timedOut });
    logger.error({ err: error, durationMs, reason: kind }, timedOut ? 'run timed out' : 'run failed');
    throw new BullUnrecoverableError(message);
  }

  /** The start recorded while the handler ran must be the one previewed; nothing but a race with an operator could differ. */
  private async confirmStart(starting: Promise<AttemptStart>, previewed: AttemptState, logger: Logger): Promise<void> {
    const recorded = await starting;
    if (!recorded.admitted || recorded.state.attempt !== previewed.attempt) {
      logger.warn({ recorded: recorded.admitted ? recorded.state : 'final', previewed }, 'the run record changed while the run was held; the attempt ran as previewed');
    }
  }

  private jobAttempts(job: RunJobOf): JobAttempts {
    return { attemptsMade: job.attemptsMade, state: attemptStateOf(job) };
  }

  private dropFinished(job: RunJobOf, task: TaskDefinition): undefined {
    this.deps.logger.info({ runId: job.data.runId, scheduleId: job.data.scheduleId, task: task.name }, 'duplicate job of a finished run dropped');
    return undefined;
  }

  /** Moves the job back to `delayed` for `delayMs` without failing it or counting an attempt. */
  private async putBack(job: RunJobOf, token: string | undefined, delayMs: number): Promise<never> {
    await job.moveToDelayed(Date.now() + delayMs, token);
    throw new DelayedError();
  }

  /** Moves the job back to `delayed` until its next attempt is due. */
  private async putBackForRetry(job: RunJobOf, token: string | undefined, delayMs: number): Promise<never> {
    const { retryDueAt } = this.deps.options;
    if (!retryDueAt) return this.putBack(job, token, delayMs);
    await job.moveToDelayed(retryDueAt({ runId: job.data.runId, queue: job.queueName, delayMs }), token);
    throw new DelayedError();
  }

  private taskSemaphore(task: TaskDefinition): Semaphore | undefined {
    if (task.concurrency === undefined) return undefined;
    let semaphore = this.taskSlots.get(task.name);
    if (!semaphore) {
      semaphore = new Semaphore(task.concurrency);
      this.taskSlots.set(task.name, semaphore);
    }
    return semaphore;
  }

  private logUnserved(job: RunJobOf): void {
    const { task } = job.data;
    if (this.unservedLogged.has(task)) return;
    this.unservedLogged.add(task);
    this.deps.logger.warn({ task, queue: job.queueName, runId: job.data.runId }, 'a job for a task this worker does not serve goes back to its queue for a worker that serves it');
  }
}

/** Runs `work` in the event loop's check phase, after the timers due now (other held runs) have run. */
function afterPendingTimers<T>(work: () => Promise<T>): Promise<T> {
  return new Promise((resolve, reject) => setImmediate(() => work().then(resolve, reject)));
}

function limitFullDelay(): number {
  return LIMIT_FULL_DELAY_MS + Math.floor(Math.random() * LIMIT_FULL_DELAY_MS);
}
