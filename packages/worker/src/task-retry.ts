import { ValidationError } from '@sundial/shared';
import type { RetryPolicy } from './task-definition';

/** The values a retry policy takes for the fields it leaves out. */
export const RETRY_DEFAULTS = {
  attempts: 1,
  backoff: 'exponential',
  delayMs: 1_000,
  maxDelayMs: 3_600_000,
  jitter: 0,
} as const satisfies Required<RetryPolicy>;

function baseDelayMs(retry: RetryPolicy, attempt: number, error: Error): number {
  const backoff = retry.backoff ?? RETRY_DEFAULTS.backoff;
  const delayMs = retry.delayMs ?? RETRY_DEFAULTS.delayMs;
  if (backoff === 'fixed') return delayMs;
  if (backoff === 'exponential') return delayMs * 2 ** (attempt - 1);
  const custom = backoff(attempt, error);
  if (typeof custom !== 'number' || Number.isNaN(custom) || custom < 0) {
    throw new ValidationError('retry.backoff', `expected the backoff function to return a number of milliseconds, 0 or more, got ${String(custom)}`);
  }
  return custom;
}

/**
 * The delay before the attempt after failed attempt `attempt` (1-based), under a retry policy:
 *
 * - `fixed`: `delayMs` every time;
 * - `exponential`: `delayMs * 2^(attempt - 1)` (1 s, 2 s, 4 s, ... by default);
 * - a function: what it returns for `(attempt, error)`.
 *
 * The delay is capped at `maxDelayMs`, then `jitter` moves it by up to that fraction of itself
 * either way (`random` picks where, uniformly), never below 0 nor above `maxDelayMs`. Whole
 * milliseconds. Pure: pass `random` to make it deterministic.
 *
 * It does not check whether another attempt remains (`attempts`); the caller does.
 *
 * @param random - a source of numbers in [0, 1), as `Math.random`
 * @throws ValidationError (field `retry.backoff`) when a backoff function returns a negative number or not a number
 */
export function backoffDelayMs(retry: RetryPolicy, attempt: number, error: Error, random: () => number = Math.random): number {
  const maxDelayMs = retry.maxDelayMs ?? RETRY_DEFAULTS.maxDelayMs;
  const jitter = retry.jitter ?? RETRY_DEFAULTS.jitter;
  const capped = Math.min(baseDelayMs(retry, attempt, error), maxDelayMs);
  const jittered = jitter > 0 ? capped * (1 + jitter * (2 * random() - 1)) : capped;
  return Math.round(Math.min(Math.max(jittered, 0), maxDelayMs));
}
