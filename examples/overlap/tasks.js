// A task that takes longer than the interval of its schedules, to watch the overlap policies of
// examples/overlap/schedules.yaml at work.
//
// Run it (after `pnpm install && pnpm build` at the repository root, with a Redis in REDIS_URL):
//
//   node_modules/.bin/sundial coordinator                                    # terminal 1
//   node_modules/.bin/sundial-worker --tasks examples/overlap/tasks.js       # terminal 2
//   node_modules/.bin/sundial apply -f examples/overlap/schedules.yaml       # terminal 3
//   node_modules/.bin/sundial runs list --schedule overlap-skip              # a minute later; also the others
//   node_modules/.bin/sundial apply -f examples/overlap/schedules.yaml --prune --dry-run   # what --prune would remove
//
// Remove the four schedules afterwards with `sundial schedule remove ID`.
const { setTimeout: sleep } = require('node:timers/promises');
const { defineTask } = require('@sundial/worker');

/**
 * Works for `data.seconds` (25 by default), one second at a time. It passes its signal to every
 * wait, so a cancellation (`overlap: cancel-previous`) or the worker's shutdown stops it within
 * a second; the run then fails with RunCancelledError and is not retried.
 */
const crunch = defineTask({
  name: 'crunch',
  handler: async ({ runId, data, signal, logger, progress }) => {
    const seconds = data.seconds ?? 25;
    logger.info({ seconds }, 'crunching');
    signal.addEventListener('abort', () => logger.warn({ reason: signal.reason.message }, 'asked to stop'), { once: true });
    for (let second = 1; second <= seconds; second += 1) {
      await sleep(1_000, undefined, { signal });
      await progress(Math.round((second / seconds) * 100));
    }
    return { runId, seconds };
  },
});

module.exports = { crunch };
