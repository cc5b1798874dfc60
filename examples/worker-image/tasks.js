// The tasks of a worker image built on top of Sundial's (see the Dockerfile next to this file).
// '@sundial/worker' comes from the base image: NODE_PATH points at it, so this module needs no
// copy of its own.
const { setTimeout: sleep } = require('node:timers/promises');
const { defineTask, UnrecoverableError } = require('@sundial/worker');

/** Deletes expired sessions; the run id makes a repeated run of one fire time harmless. */
const cleanupSessions = defineTask({
  name: 'cleanup-sessions',
  timeoutMs: 60_000,
  handler: async ({ runId, fireTime, signal, logger }) => {
    const cutoff = new Date(fireTime.getTime() - 24 * 60 * 60 * 1000);
    await sleep(100, undefined, { signal }); // stands in for DELETE ... WHERE expires_at < cutoff
    logger.info({ cutoff: cutoff.toISOString() }, 'expired sessions deleted');
    return { runId, cutoff: cutoff.toISOString() };
  },
});

/** Sends a report to the address in the schedule's data; a missing address is not worth a retry. */
const sendReport = defineTask({
  name: 'send-report',
  retry: { attempts: 5, backoff: 'exponential', delayMs: 1_000 },
  handler: async ({ data, signal, logger }) => {
    if (typeof data?.to !== 'string') throw new UnrecoverableError('data.to: expected an e-mail address');
    await sleep(200, undefined, { signal });
    logger.info({ to: data.to }, 'report sent');
    return { sentTo: data.to };
  },
});

module.exports = [cleanupSessions, sendReport];
