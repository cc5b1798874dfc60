// Two tasks a worker runs: a greeting, and a digest that is safe to run twice for one fire time.
//
// Run it (after `pnpm install && pnpm build` at the repository root, with a Redis in REDIS_URL):
//
//   node_modules/.bin/sundial coordinator                                # terminal 1
//   node_modules/.bin/sundial-worker --tasks examples/basic/tasks.js     # terminal 2 (as many as you like)
//   node examples/basic/add-schedule.js                                  # terminal 3
//
// All three read REDIS_URL (default redis://127.0.0.1:6379) and SUNDIAL_NAMESPACE (default "default").
const { setTimeout: sleep } = require('node:timers/promises');
const { defineTask } = require('@sundial/worker');

/** The smallest task: a name and a handler. What it returns is stored as the run's result. */
const hello = defineTask({
  name: 'hello',
  handler: ({ runId, fireTime, attempt, data, logger }) => {
    logger.info({ fireTime: fireTime.toISOString() }, 'saying hello');
    return { greeting: `hello, ${data.name ?? 'world'}`, runId, attempt };
  },
});

// Stands in for a database table with a unique key on `run_id`.
const digests = new Map();

/**
 * Writes one digest per fire time. A run can execute more than once (a retry, or another worker
 * taking over from one that died), always with the same run id, so the write is an upsert keyed
 * by it: running it twice leaves one row. In SQL:
 *
 *   INSERT INTO digests (run_id, period, body) VALUES ($1, $2, $3)
 *   ON CONFLICT (run_id) DO UPDATE SET body = EXCLUDED.body
 */
const digest = defineTask({
  name: 'digest',
  timeoutMs: 30_000,
  handler: async ({ runId, scheduleId, fireTime, data, signal, logger, progress }) => {
    const recipients = data.recipients ?? ['ops@example.com'];
    for (const [index, recipient] of recipients.entries()) {
      await sleep(200, undefined, { signal }); // pass the signal on: a timeout or shutdown stops the wait
      logger.debug({ recipient }, 'digest prepared');
      await progress(Math.round(((index + 1) / recipients.length) * 100));
    }
    digests.set(runId, { scheduleId, period: fireTime.toISOString(), recipients });
    return { runId, recipients: recipients.length, rowsForThisRun: 1 };
  },
});

module.exports = [hello, digest];
