// Tasks the sandbox executor tests run in worker threads and child processes. Plain CommonJS,
// so a sandbox loads it without compiling; UnrecoverableError comes from the built package.
const { setTimeout } = require('node:timers');
const { threadId } = require('node:worker_threads');
const { UnrecoverableError } = require('../../dist/task-definition.js');

function waitForAbort(signal) {
  return new Promise((_resolve, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

module.exports.echo = {
  name: 'echo',
  handler: async ({ runId, scheduleId, fireTime, attempt, data, signal }) => ({
    runId,
    scheduleId,
    fireTime: fireTime.toISOString(),
    fireTimeIsDate: fireTime instanceof Date,
    attempt,
    data,
    signalAborted: signal.aborted,
    pid: process.pid,
    threadId,
  }),
};

module.exports.fail = {
  name: 'fail',
  handler: async () => {
    const error = new RangeError('the report is too large');
    error.code = 'REPORT_TOO_LARGE';
    throw error;
  },
};

module.exports.unrecoverable = {
  name: 'unrecoverable',
  handler: async () => {
    throw new UnrecoverableError('the customer does not exist');
  },
};

module.exports.unrecoverableByName = {
  name: 'unrecoverable-by-name',
  handler: async () => {
    // The shape of BullMQ's UnrecoverableError, or of a copy of Sundial's from another install.
    const error = new Error('bad input');
    error.name = 'UnrecoverableError';
    throw error;
  },
};

module.exports.exit = {
  name: 'exit',
  handler: async () => {
    process.exit(3);
  },
};

module.exports.throwInTimer = {
  name: 'throw-in-timer',
  handler: () =>
    new Promise(() => {
      setTimeout(() => {
        throw new Error('late failure in a timer');
      }, 1);
    }),
};

module.exports.rejectUnhandled = {
  name: 'reject-unhandled',
  handler: () =>
    new Promise(() => {
      Promise.reject(new Error('nobody handles this rejection'));
    }),
};

module.exports.honourAbort = {
  name: 'honour-abort',
  handler: async ({ signal, logger, progress }) => {
    await progress('started');
    try {
      await waitForAbort(signal);
    } catch (reason) {
      logger.info({ reasonName: reason.name, reasonMessage: reason.message, reasonCode: reason.code }, 'stopping');
      throw reason;
    }
  },
};

module.exports.ignoreAbort = {
  name: 'ignore-abort',
  handler: async ({ progress, data }) => {
    await progress({ pid: process.pid });
    // Blocks the event loop: the abort message cannot even be read.
    const until = Date.now() + data.blockMs;
    while (Date.now() < until) {
      // Busy.
    }
    return 'finished after all';
  },
};

module.exports.report = {
  name: 'report',
  handler: async ({ logger, progress }) => {
    logger.info({ step: 1 }, 'collecting');
    await progress(50);
    logger.debug('details the parent does not want');
    logger.child({ part: 'totals' }).warn('totals are late');
    await progress({ phase: 'done', rows: 3 });
    return { rows: 3 };
  },
};

module.exports.progressFails = {
  name: 'progress-fails',
  handler: async ({ progress }) => {
    try {
      await progress(10);
      return 'progress was recorded';
    } catch (error) {
      return `progress failed: ${error.message}`;
    }
  },
};

module.exports.uncloneableResult = {
  name: 'uncloneable-result',
  handler: async () => ({ callback: () => 'functions do not clone' }),
};
