import { ValidationError } from '@sundial/shared';
import { runTask } from '@sundial/worker/testing';
import { Reports } from '../__fixtures__/decorated-tasks';
import { defineTask } from '../define-task';
import { RunCancelledError } from '../runtime/abort-reasons';
import { tasksOf } from '../task-decorator';
import { TaskTimeoutError, UnrecoverableError, type TaskContext } from '../task-definition';
import { TaskDefinitionError } from '../task-errors';
import { rejectionOf } from '../../../../test/support/errors';

const report = defineTask<{ day: string }, { rows: number }>({
  name: 'report',
  retry: { attempts: 3, backoff: 'exponential', delayMs: 1_000, jitter: 0.5 },
  async handler({ data, logger, progress }) {
    logger.debug('starting');
    await progress(50);
    await progress({ step: 'write', done: 2 });
    logger.info({ day: data.day }, 'report built');
    return { rows: 3 };
  },
});

/** A handler that waits for its signal and rejects with a plain error when it aborts. */
const waitsForSignal = defineTask({
  name: 'waits',
  timeoutMs: 5_000,
  handler: ({ signal }) => new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('stopped early')))),
});

describe('runTask', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('calls the handler with a complete context and returns its result, logs and progress', async () => {
    const outcome = await runTask(report, { data: { day: '2027-01-04' }, fireTime: '2027-01-05T02:00:00Z', attempt: 2, scheduleId: 'nightly' });
    expect(outcome).toMatchObject({ status: 'succeeded', result: { rows: 3 } });
    expect(outcome.logs).toEqual([
      { level: 'debug', msg: 'starting' },
      { level: 'info', msg: 'report built', day: '2027-01-04' },
    ]);
    expect(outcome.progress).toEqual([50, { step: 'write', done: 2 }]);
    const { context } = outcome;
    expect(context).toMatchObject({ runId: 'nightly@1799114400000', scheduleId: 'nightly', attempt: 2, data: { day: '2027-01-04' } });
    expect(context.fireTime).toEqual(new Date('2027-01-05T02:00:00Z'));
    expect(context.signal.aborted).toBe(false);
  });

  it('defaults to the first attempt of a scheduled fire now, named after the task, with empty data', async () => {
    jest.useFakeTimers({ now: new Date('2027-03-01T08:00:00Z') });
    let seen: TaskContext | undefined;
    const outcome = await runTask(defineTask({ name: 'probe', handler: (context) => void (seen = context) }));
    expect(outcome.status).toBe('succeeded');
    expect(seen).toMatchObject({ runId: 'probe@1803888000000', scheduleId: 'probe', attempt: 1, data: {} });
    expect(seen?.fireTime).toEqual(new Date('2027-03-01T08:00:00Z'));
  });

  it('runs a @task method, on its class', async () => {
    const daily = tasksOf(Reports).find((definition) => definition.name === 'reports.daily');
    const outcome = await runTask(daily!, { data: { day: 'monday' } });
    expect(outcome).toMatchObject({ status: 'succeeded', result: 'daily monday' });
  });

  it('reports a failure the retry policy retries, with the backoff delay before the next attempt', async () => {
    const flaky = defineTask({ ...report, name: 'flaky', handler: () => Promise.reject(new Error('upstream 503')) });
    const first = await runTask(flaky, { attempt: 1 });
    expect(first).toMatchObject({ status: 'failed', message: 'Error: upstream 503', timedOut: false, retryable: true, willRetry: true, retryDelayMs: 1_000 });
    expect(await runTask(flaky, { attempt: 2 })).toMatchObject({ willRetry: true, retryDelayMs: 2_000 });
    expect(await runTask(flaky, { attempt: 3 })).toMatchObject({ status: 'failed', retryable: true, willRetry: false, retryDelayMs: undefined });
  });

  it('reports an UnrecoverableError as not retryable, and keeps the lines logged before it', async () => {
    const strict = defineTask({
      name: 'strict',
      retry: { attempts: 5 },
      handler: ({ logger }) => {
        logger.warn({ input: 'bad' }, 'rejecting the input');
        throw new UnrecoverableError('bad input');
      },
    });
    const outcome = await runTask(strict);
    expect(outcome).toMatchObject({ status: 'failed', message: 'UnrecoverableError: bad input', retryable: false, willRetry: false });
    if (outcome.status === 'failed') expect(outcome.error).toBeInstanceOf(UnrecoverableError);
    expect(outcome.logs).toEqual([{ level: 'warn', msg: 'rejecting the input', input: 'bad' }]);
  });

  it("aborts the signal with a TaskTimeoutError at the task's time limit and fails with it", async () => {
    jest.useFakeTimers();
    let signal: AbortSignal | undefined;
    const pending = runTask(defineTask({ ...waitsForSignal, handler: (context) => ((signal = context.signal), waitsForSignal.handler(context)) }));
    await jest.advanceTimersByTimeAsync(4_999);
    expect(signal?.aborted).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    const outcome = await pending;
    expect(outcome).toMatchObject({ status: 'failed', timedOut: true, retryable: true, message: 'TaskTimeoutError: the attempt took longer than its 5000 ms time limit' });
    if (outcome.status === 'failed') expect(outcome.error).toBeInstanceOf(TaskTimeoutError);
    expect(signal?.reason).toBeInstanceOf(TaskTimeoutError);
  });

  it('fails with a TaskTimeoutError even when the handler ignores its signal', async () => {
    jest.useFakeTimers();
    const stubborn = defineTask({ name: 'stubborn', timeoutMs: 1_000, handler: () => new Promise(() => undefined) });
    const pending = runTask(stubborn);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(await pending).toMatchObject({ status: 'failed', timedOut: true });
  });

  it("takes the timeout option over the task's, as a schedule's timeout", async () => {
    jest.useFakeTimers();
    const pending = runTask(waitsForSignal, { timeout: '2s' });
    await jest.advanceTimersByTimeAsync(2_000);
    expect(await pending).toMatchObject({ status: 'failed', timedOut: true, message: expect.stringContaining('2000 ms') as unknown });
  });

  it('aborts the attempt when the given signal aborts: a cancellation is not retried', async () => {
    const controller = new AbortController();
    const pending = runTask(waitsForSignal, { signal: controller.signal });
    controller.abort(new RunCancelledError('waits@1'));
    expect(await pending).toMatchObject({ status: 'failed', timedOut: false, retryable: false, message: 'RunCancelledError: run "waits@1" was cancelled' });

    const started: string[] = [];
    const aborted = AbortSignal.abort(new Error('shutting down'));
    const outcome = await runTask(defineTask({ name: 'never', handler: () => void started.push('x') }), { signal: aborted });
    expect(outcome).toMatchObject({ status: 'failed', message: 'Error: shutting down', retryable: true });
    expect(started).toEqual([]);
  });

  it.each([
    ['attempt', { attempt: 0 }],
    ['attempt', { attempt: 1.5 }],
    ['fireTime', { fireTime: 'next tuesday' }],
    ['timeout', { timeout: '0s' }],
    ['timeout', { timeout: 'soon' }],
    ['scheduleId', { scheduleId: '' }],
  ])('rejects a bad %s, naming it, without calling the handler', async (field, options) => {
    const called: string[] = [];
    const error = await rejectionOf(runTask(defineTask({ name: 'probe', handler: () => void called.push('x') }), options as never));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ field });
    expect(called).toEqual([]);
  });

  it('rejects what is not a task definition, naming the field', async () => {
    const error = await rejectionOf(runTask({ name: 'export' } as never));
    expect(error).toBeInstanceOf(TaskDefinitionError);
    expect(error.message).toBe('task "export": handler: expected a function');
  });
});
