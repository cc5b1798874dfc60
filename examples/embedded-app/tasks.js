// The tasks of the embedded-app example, in a module of their own: the app passes them to
// startSundial, and `sundial-worker --tasks examples/embedded-app/tasks.js` can load the same
// module to add workers in other processes.
const { setTimeout: sleep } = require('node:timers/promises');
const { defineTask } = require('@sundial/worker');

/** Sends the (pretend) daily digest of new orders; `runId` is the mailer's idempotency key, so a retry sends once. */
const sendDigest = defineTask({
  name: 'send-digest',
  retry: { attempts: 3, backoff: 'exponential', delayMs: 1_000 },
  timeoutMs: 30_000,
  handler: async ({ runId, fireTime, data, signal, logger }) => {
    await sleep(200, undefined, { signal });
    logger.info({ to: data.to, day: fireTime.toISOString().slice(0, 10) }, 'digest sent');
    return { to: data.to, idempotencyKey: runId };
  },
});

/** Deletes expired sessions (here: pretends to), reporting progress. */
const purgeSessions = defineTask({
  name: 'purge-sessions',
  timeoutMs: 60_000,
  handler: async ({ signal, progress }) => {
    for (let batch = 1; batch <= 3; batch++) {
      await sleep(50, undefined, { signal });
      await progress(Math.round((batch / 3) * 100));
    }
    return { purged: 42 };
  },
});

module.exports = { sendDigest, purgeSessions };
