import type { Redis } from 'ioredis';
import type { NamespaceKeys } from '../store/keys';
import { runScript } from '../store/scripts';

/** The largest result stored with a run, in bytes of JSON; larger results are replaced by a note. */
export const DEFAULT_MAX_RESULT_BYTES = 64 * 1024;

/**
 * Keeps a run's record in step with what a worker does: attempts started, results, errors. It
 * also guards execution: a job for a run whose record is already final does not start (a
 * duplicate job of a finished run, e.g. re-added after its first job was removed).
 */
export class RunTracker {
  constructor(
    private readonly redis: Redis,
    private readonly keys: NamespaceKeys,
    private readonly options: { workerId: string; eventsMaxLength: number; maxResultBytes?: number },
  ) {}

  /** Records the start of an attempt; `false` when the run is already final and must not run. */
  async start(runId: string, attempt: number, nowMs: number): Promise<boolean> {
    return (await this.record(runId, 'start', attempt, nowMs, '', '')) === 'ok';
  }

  /** Records success with the handler's result (JSON, size-capped). */
  async succeeded(runId: string, attempt: number, nowMs: number, result: unknown, durationMs: number): Promise<void> {
    await this.record(runId, 'succeeded', attempt, nowMs, this.resultJson(result), String(durationMs));
  }

  /** Records a failed attempt: `retrying` when another attempt follows, else `failed`. */
  async failed(runId: string, attempt: number, nowMs: number, error: string, durationMs: number, willRetry: boolean): Promise<void> {
    await this.record(runId, willRetry ? 'retrying' : 'failed', attempt, nowMs, error, String(durationMs));
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

  private record(runId: string, action: string, attempt: number, nowMs: number, detail: string, durationMs: string): Promise<string> {
    return runScript<string>(this.redis, 'recordAttempt', [this.keys.run(runId), this.keys.events], [
      action,
      nowMs,
      attempt,
      this.options.workerId,
      detail,
      durationMs,
      this.options.eventsMaxLength,
    ]);
  }
}
