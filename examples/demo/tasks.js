// The demo's tasks. A worker loads them with: sundial-worker --tasks examples/demo/tasks.js
const { defineTask } = require('@sundial/worker');

const sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });

/** Says hello: a run every 2 seconds. */
exports.hello = defineTask({
  name: 'hello',
  handler: ({ runId, data }) => ({ greeting: `hello, ${data.name}`, runId }),
});

/** A report each minute. */
exports.report = defineTask({
  name: 'report',
  handler: async ({ fireTime, logger }) => {
    logger.info({ minute: fireTime.toISOString() }, 'report written');
    return { rows: 42 };
  },
});

/** Fails on its first two attempts and succeeds on the third. */
exports.flaky = defineTask({
  name: 'flaky',
  retry: { attempts: 3, backoff: 'fixed', delayMs: 500 },
  handler: ({ attempt }) => {
    if (attempt < 3) throw new Error(`attempt ${attempt} failed (on purpose)`);
    return { succeededOnAttempt: attempt };
  },
});

/** Takes 5 seconds, fired every 3: its schedule's overlap policy decides. */
exports.slow = defineTask({
  name: 'slow',
  handler: async ({ signal }) => {
    await sleep(5_000, signal);
    return { done: true };
  },
});
