import type { RedisConnection } from '../redis/redis-target';
import type { SundialEvent, SundialEventType } from '../events/event-types';
import type { NamespaceKeys } from '../store/keys';
import { runScript } from '../store/scripts';
import type { RunJobData } from './run-job';

/** The largest result stored with a run, in bytes of JSON; larger results are replaced by a note. */
export const DEFAULT_MAX_RESULT_BYTES = 64 * 1024;
/** The longest error an event carries, in characters; longer ones are cut and end with `…`. */
export const EVENT_ERROR_MAX_CHARS = 500;

/** The run an attempt belongs to, as its job describes it. */
export type AttemptRun = Pick<RunJobData, 'runId' | 'scheduleId' | 'task' | 'fireTime'>;

/** What {@link RunTracker.start} found. */
export interface AttemptStart {
  /** Whether the attempt may run: false when the run is already final (a duplicate job of a finished run). */
  readonly admitted: boolean;
  /** When the run was due (nominal fire time plus jitter, cluster ms); undefined when the run has no record. */
  readonly dueAtMs: number | undefined;
}

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
type ScriptReply = [code: 'ok' | 'final' | 'unrecorded', fireAt: string, cancelReason?: string];

/** `error` cut to {@link EVENT_ERROR_MAX_CHARS} characters (whole code points), ending with `…` when cut. */
export function shortenError(error: string): string {
  const chars = Array.from(error);
  return chars.length <= EVENT_ERROR_MAX_CHARS ? error : `${chars.slice(0, EVENT_ERROR_MAX_CHARS - 1).join('')}…`;
}

/**
 * Keeps a run's record in step with what a worker does: attempts started, results, errors,
 * cancellations, and the events of each (see `lua/recordAttempt-2.lua`). It also guards
 * execution: a job for a run whose record is already final does not start (a duplicate job of a
 * finished run, e.g. re-added after its first job was removed).
 */
export class RunTracker {
  constructor(
    private readonly redis: RedisConnection,
    private readonly keys: NamespaceKeys,
    private readonly options: RunTrackerOptions,
  ) {}

  /** Records the start of an attempt; not admitted when the run is already final and must not run. */
  async start(run: AttemptRun, attempt: number, nowMs: number): Promise<AttemptStart> {
    const [code, fireAt] = await this.record(run, 'start', attempt, nowMs, '', '');
    if (code === 'final') return { admitted: false, dueAtMs: undefined };
    this.emit(run, 'run.started', attempt, nowMs, { status: 'running' });
    return { admitted: true, dueAtMs: fireAt === '' ? undefined : Number(fireAt) };
  }

  /** Records success with the handler's result (JSON, size-capped). */
  async succeeded(run: AttemptRun, attempt: number, nowMs: number, result: unknown, durationMs: number): Promise<void> {
    await this.record(run, 'succeeded', attempt, nowMs, this.resultJson(result), String(durationMs));
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

  private record(run: AttemptRun, action: Action, attempt: number, nowMs: number, detail: string, durationMs: string, timedOut = false): Promise<ScriptReply> {
    return runScript<ScriptReply>(this.redis, 'recordAttempt', [this.keys.run(run.runId), this.keys.events], [
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
    ]);
  }
}
