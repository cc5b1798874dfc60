/**
 * Where a run stands in its attempts, kept in its run record (`attempts`, `round`, `roundStart`)
 * so it survives a stall and a retry by hand. `round` is the job's BullMQ `attemptsMade` when the
 * current round of attempts began: a run failed for good and retried by hand (`sundial runs
 * retry`) starts a new round, with its retry policy's full budget again, while attempt numbers go
 * on growing.
 */
export interface AttemptState {
  /** The number of the latest attempt started, 1 for the first. */
  readonly attempt: number;
  /** `attemptsMade` of the job when this round began. */
  readonly round: number;
  /** The number of the first attempt of this round. */
  readonly roundStart: number;
}

/**
 * The state for the attempt about to start, from the stored one and the job's `attemptsMade`.
 * `lua/recordAttempt-2.lua` applies the same rule to the state a run record keeps.
 */
export function nextAttempt(previous: AttemptState | undefined, attemptsMade: number): AttemptState {
  const attempt = (previous?.attempt ?? 0) + 1;
  if (previous === undefined || previous.round !== attemptsMade) return { attempt, round: attemptsMade, roundStart: attempt };
  return { ...previous, attempt };
}
