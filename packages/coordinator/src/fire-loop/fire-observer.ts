import type { FireOutcome } from '@sundial/shared';

/**
 * What became of one run, or of a range of fire times recorded together: the fire loop reports
 * each once, when its commit succeeded.
 */
export interface FireRecord {
  readonly scheduleId: string;
  readonly task: string;
  readonly queue: string;
  readonly outcome: FireOutcome;
  /**
   * Why, as the run record says: `buffered` (enqueued behind a running run), `overlap` or
   * `buffer-full` (skipped by the overlap policy), `misfire-grace`, `coalesced`,
   * `catch-up-limit`; empty for a plain enqueue.
   */
  readonly reason: string;
  /** The run's id; for a range, the id of its run record. */
  readonly runId: string;
  /** The nominal fire time (of the first fire time, for a range). */
  readonly nominalMs: number;
  /** How many fire times it stands for: 1 for a run. */
  readonly count: number;
  /** The cluster time of the tick that decided it. */
  readonly decidedAtMs: number;
}

/** Told what the fire loop does, for metrics and in-process hooks. Calls must not throw. */
export interface FireObserver {
  /** A run or a range of fire times was committed with an outcome. */
  fired(record: FireRecord): void;
  /**
   * A scheduled run's job was added to BullMQ `latenessMs` after its due time (nominal fire time
   * plus jitter). Only runs this coordinator committed as enqueued are reported: not buffered ones,
   * not trigger-now or backfill requests, not runs a previous leader left in the outbox.
   */
  added(queue: string, latenessMs: number): void;
  /** A tick of the leader's loop completed in `durationMs`. */
  ticked(durationMs: number): void;
}
