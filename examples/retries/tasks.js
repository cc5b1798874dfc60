// Retries, unrecoverable errors and time limits: five tasks that fail on purpose.
//
// Run it (after `pnpm install && pnpm build` at the repository root, with a Redis in REDIS_URL):
//
//   node_modules/.bin/sundial coordinator                                  # terminal 1
//   node_modules/.bin/sundial-worker --tasks examples/retries/tasks.js     # terminal 2
//   # terminal 3: one schedule per task, then run each once now
//   for task in retry-fixed retry-exponential retry-custom validate slow-export; do
//     node_modules/.bin/sundial schedule add "$task" --task "$task" --every 1h --on-conflict replace
//     node_modules/.bin/sundial schedule trigger "$task"
//   done
//   node_modules/.bin/sundial runs list                     # ATTEMPTS and NOTE (the last error) of each
//   node_modules/.bin/sundial runs retry RUN_ID             # run a failed one again, with a new budget
//
// The worker's log (stderr) shows "attempt failed; retrying" with the delay before each retry.
const { setTimeout: sleep } = require('node:timers/promises');
const { defineTask, UnrecoverableError } = require('@sundial/worker');

/** Fails twice, then succeeds: retried after 500 ms each time (fixed backoff). */
const retryFixed = defineTask({
  name: 'retry-fixed',
  retry: { attempts: 4, backoff: 'fixed', delayMs: 500 },
  handler: ({ attempt }) => {
    if (attempt <= 2) throw new Error(`attempt ${attempt}: the service is not ready (on purpose)`);
    return { succeededOnAttempt: attempt };
  },
});

/**
 * Never succeeds: exponential backoff, 1 s, 2 s, 4 s, 8 s (delayMs * 2^(attempt - 1), capped at
 * maxDelayMs), each moved by up to 20 % either way (jitter), then the run fails after 5 attempts.
 */
const retryExponential = defineTask({
  name: 'retry-exponential',
  retry: { attempts: 5, backoff: 'exponential', delayMs: 1_000, maxDelayMs: 8_000, jitter: 0.2 },
  handler: ({ attempt }) => {
    throw new Error(`attempt ${attempt}: upstream returned 503 (on purpose)`);
  },
});

/** An error that says when to try again, as an HTTP 429 with Retry-After does. */
class RateLimitedError extends Error {
  constructor(retryAfterMs) {
    super(`rate limited; retry after ${retryAfterMs} ms`);
    this.name = 'RateLimitedError';
    this.retryAfterMs = retryAfterMs;
  }
}

/**
 * A custom backoff: a function of the failed attempt's number (1 for the first) and its error,
 * returning the delay in milliseconds. Still capped by maxDelayMs.
 */
const retryCustom = defineTask({
  name: 'retry-custom',
  retry: {
    attempts: 3,
    backoff: (attempt, error) => (error instanceof RateLimitedError ? error.retryAfterMs : 250 * attempt),
    maxDelayMs: 10_000,
  },
  handler: ({ attempt }) => {
    if (attempt === 1) throw new RateLimitedError(1_500);
    return { succeededOnAttempt: attempt };
  },
});

/**
 * Retrying cannot fix bad input: UnrecoverableError fails the run at once, whatever `attempts`
 * says. Add the schedule with --data '{"email":"a@example.com"}' to see it succeed.
 */
const validate = defineTask({
  name: 'validate',
  retry: { attempts: 5 },
  handler: ({ data }) => {
    if (typeof data.email !== 'string' || !data.email.includes('@')) {
      throw new UnrecoverableError(`data.email: expected an e-mail address, got ${JSON.stringify(data.email)}`);
    }
    return { valid: data.email };
  },
});

/**
 * Takes 5 s but may take 2 s per attempt: each attempt ends with TaskTimeoutError and its signal is
 * aborted. A timeout counts as a failed attempt, so it is retried (once here). Passing `signal` to
 * what the handler awaits makes it stop at the time limit; a handler that ignores it fails at
 * the time limit all the same, but goes on running in the background.
 */
const slowExport = defineTask({
  name: 'slow-export',
  timeoutMs: 2_000,
  retry: { attempts: 2, backoff: 'fixed', delayMs: 1_000 },
  handler: async ({ signal, logger }) => {
    signal.addEventListener('abort', () => logger.warn({ reason: signal.reason.message }, 'stopping the export'), { once: true });
    await sleep(5_000, undefined, { signal });
    return { exported: true };
  },
});

module.exports = [retryFixed, retryExponential, retryCustom, validate, slowExport];
