import type { RedisConnection } from '../redis/redis-target';
import type { SundialEvent, SundialEventType } from '../events/event-types';
import type { NamespaceKeys } from '../store/keys';
import { runScript } from '../store/scripts';
import { nextAttempt, type AttemptState } from './attempt-state';
import type { RunJobData } from './run-job';

/** The largest result stored with a run, in bytes of JSON; larger results are replaced by a note. */
export const DEFAULT_MAX_RESULT_BYTES = 64 * 1024;
/** The longest error an event carries, in characters; longer ones are cut and end with `…`. */
export const EVENT_ERROR_MAX_CHARS = 500;

/** Statuses in which `start` admits no attempt (lua/recordAttempt-2.lua): the run is over. */
const NEVER_STARTS_AGAIN = new Set(['succeeded', 'failed', 'cancelled']);

/** The run an attempt belongs to, as its job describes it. */
export type AttemptRun = Pick<RunJobData, 'runId' | 'scheduleId' | 'task' | 'fireTime'>;

/** What a run's BullMQ job says of its attempts, as {@link RunTracker.start} takes it. */
export interface JobAttempts {
  /** The job's BullMQ `attemptsMade`. */
  readonly attemptsMade: number;
  /**
   * The attempt state the job's data carries, if any: written by older workers, and by workers
   * running a run that has no record. Used only when the record keeps no state.
   */
  readonly state: AttemptState | undefined;
}

/**
 * What {@link RunTracker.start} found: not admitted when the run is already final (a duplicate
 * job of a finished run), else the attempt about to run.
 */
export type AttemptStart =
  | { readonly admitted: false }
  | {
      readonly admitted: true;
      /** The attempt about to run, as the record now keeps it (worked out from the job's state when the run has no record). */
      readonly state: AttemptState;
      /** Whether the run has a record; when not, only the job can keep `state` for the next attempt. */
      readonly recorded: boolean;
      /** When the run was due (nominal fire time plus jitter, cluster ms); undefined when the run has no record. */
      readonly dueAtMs: number | undefined;
    };

/** A failed attempt, as {@link RunTracker.failed} records it. */
export interface AttemptFailure {
  /** The error, as the run record shows it (`<name>: <message>`). */
  readonly error: string;
  readonly durationMs: number;
  /** Whether another attempt follows (`run.retrying`) or the run failed for good (`run.failed`). */
  readonly willRetry: boolean;
  /** Whether the attempt hit its time limit: a `run.timed_out` event comes first. */
  readonly timedOut?: boolean;
}

/** Options of a {@link RunTracker}. */
export interface RunTrackerOptions {
  /** The worker's id, recorded with each attempt. */
  readonly workerId: string;
  /** Approximate length at which the events stream is trimmed. */
  readonly eventsMaxLength: number;
  /** @defaultValue {@link DEFAULT_MAX_RESULT_BYTES} */
  readonly maxResultBytes?: number;
  /** Called with each event recorded (and for runs without a record, each event that would have been), e.g. `EventHub.emit`. */
  readonly onEvent?: (event: SundialEvent) => void;
}

type Action = 'start' | 'succeeded' | 'retrying' | 'failed' | 'cancelled';
type ScriptReply = [code: 'ok' | 'final' | 'unrecorded', fireAt: string, cancelReason: string, attempt?: number, round?: number, roundStart?: number];

/** `error` cut to {@link EVENT_ERROR_MAX_CHARS} characters (whole code points), ending with `…` when cut. */
export function shortenError(error: string): string {
  const chars = Array.from(error);
  return chars.length <= EVENT_ERROR_MAX_CHARS ? error : `${chars.slice(0, EVENT_ERROR_MAX_CHARS - 1).join('')}…`;
}

/**
 * Keeps a run's record in step with what a worker does: attempts started, results, errors,
 * cancellations, and the events of each (see `lua/recordAttempt-2.lua`). The record also keeps
 * where the run stands in its attempts ({@link AttemptState}), so a worker that takes over a
 * stalled run, or a retry, goes on from there. It also guards execution: a job for a run whose
 * record is already final does not start (a duplicate job of a finished run, e.g. re-added after
 * its first job was removed).
 */
export class RunTracker {
  constructor(
    private readonly redis: RedisConnection,
    private readonly keys: NamespaceKeys,
    private readonly options: RunTrackerOptions,
  ) {}

  /**
   * What {@link RunTracker.start} will find, read without writing anything: not admitted when the
   * run is final, else the attempt it will record. A worker holding a run handed over ahead reads
   * it before the run's time, so that at its time the handler starts without waiting for Redis
   * while `start` records it. Undefined when the run has no record (then only `start` can tell).
   */
  async preview(run: AttemptRun, job: JobAttempts): Promise<AttemptStart | undefined> {
    const [status, fireAt, attempts, round, roundStart] = await this.redis.hmget(this.keys.run(run.runId), 'status', 'fireAt', 'attempts', 'round', 'roundStart');
    if (status === null || status === undefined) return undefined;
    if (NEVER_STARTS_AGAIN.has(status)) return { admitted: false };
    // The rule of lua/recordAttempt-2.lua: the record's state, or in a record that keeps no round yet the job's.
    const previous = round === null || round === undefined ? job.state : { attempt: Number(attempts ?? 0), round: Number(round), roundStart: Number(roundStart) };
    return { admitted: true, state: nextAttempt(previous, job.attemptsMade), recorded: true, dueAtMs: fireAt ? Number(fireAt) : undefined };
  }

  /**
   * Records the start of the run's next attempt, numbered from the state its record keeps (else
   * the one `job` carries) by the rule of {@link nextAttempt}; not admitted when the run is
   * already final and must not run.
   */
  async start(run: AttemptRun, job: JobAttempts, nowMs: number): Promise<AttemptStart> {
    const carried = job.state ? [job.state.attempt, job.state.round, job.state.roundStart] : ['', '', ''];
    const [code, fireAt, , attempt, round, roundStart] = await this.record(run, 'start', '', nowMs, '', '', false, [job.attemptsMade, ...carried]);
    if (code === 'final') return { admitted: false };
    const recorded = code === 'ok';
    const state = recorded ? { attempt: Number(attempt), round: Number(round), roundStart: Number(roundStart) } : nextAttempt(job.state, job.attemptsMade);
    this.emit(run, 'run.started', state.attempt, nowMs, { status: 'running' });
    return { admitted: true, state, recorded, dueAtMs: fireAt === '' ? undefined : Number(fireAt) };
  }

  /**
   * Records success with the handler's result (JSON, size-capped). `via` sends the record on
   * another connection to the same Redis: the one that will complete the run's job, so that the
   * two go out together and Redis applies them in that order.
   */
  async succeeded(run: AttemptRun, attempt: number, nowMs: number, result: unknown, durationMs: number, via?: RedisConnection): Promise<void> {
    await this.record(run, 'succeeded', attempt, nowMs, this.resultJson(result), String(durationMs), false, [], via);
    this.emit(run, 'run.succeeded', attempt, nowMs, { status: 'succeeded' });
  }

  /** Records a failed attempt: `retrying` when another attempt follows, else `failed`; a timeout first as `run.timed_out`. */
  async failed(run: AttemptRun, attempt: number, nowMs: number, failure: AttemptFailure): Promise<void> {
    const { error, durationMs, willRetry, timedOut = false } = failure;
    await this.record(run, willRetry ? 'retrying' : 'failed', attempt, nowMs, error, String(durationMs), timedOut);
    const status = willRetry ? 'enqueued' : 'failed';
    if (timedOut) this.emit(run, 'run.timed_out', attempt, nowMs, { status, reason: 'timeout', error: shortenError(error) });
    this.emit(run, willRetry ? 'run.retrying' : 'run.failed', attempt, nowMs, { status, error: shortenError(error), ...(willRetry && { reason: 'retrying' }) });
  }

  /**
   * Records an attempt aborted by a cancellation: the run is `cancelled`, reason `cancel-previous`
   * when its schedule's overlap policy asked for it, else `operator`.
   */
  async cancelled(run: AttemptRun, attempt: number, nowMs: number, error: string, durationMs: number): Promise<void> {
    const [, , reason] = await this.record(run, 'cancelled', attempt, nowMs, error, String(durationMs));
    this.emit(run, 'run.cancelled', attempt, nowMs, { status: 'cancelled', error: shortenError(error), ...(reason ? { reason } : {}) });
  }

  private emit(run: AttemptRun, type: SundialEventType, attempt: number, nowMs: number, fields: Partial<SundialEvent>): void {
    this.options.onEvent?.({
      type,
      time: new Date(nowMs).toISOString(),
      scheduleId: run.scheduleId,
      runId: run.runId,
      fireTime: run.fireTime,
      count: 1,
      attempt,
      task: run.task,
      worker: this.options.workerId,
      ...fields,
    });
  }

  private resultJson(result: unknown): string {
    let json: string;
    try {
      json = JSON.stringify(result === undefined ? null : result) ?? 'null';
    } catch (error) {
      // The run succeeded; only its result cannot be kept (a BigInt, a cycle).
      return JSON.stringify({ unserializable: true, reason: (error as Error).message });
    }
    const limit = this.options.maxResultBytes ?? DEFAULT_MAX_RESULT_BYTES;
    return Buffer.byteLength(json) <= limit ? json : JSON.stringify({ truncated: true, bytes: Buffer.byteLength(json), limit });
  }

  private record(
    run: AttemptRun,
    action: Action,
    attempt: number | '',
    nowMs: number,
    detail: string,
    durationMs: string,
    timedOut = false,
    startArgs: readonly (number | string)[] = [],
    via: RedisConnection = this.redis,
  ): Promise<ScriptReply> {
    return runScript<ScriptReply>(via, 'recordAttempt', [this.keys.run(run.runId), this.keys.events], [
      action,
      nowMs,
      attempt,
      this.options.workerId,
      detail,
      durationMs,
      this.options.eventsMaxLength,
      run.task,
      action === 'start' || action === 'succeeded' ? '' : shortenError(detail),
      timedOut ? '1' : '',
      ...startArgs,
    ]);
  }
}
