import { InlineExecutor } from '../executors/index';
import { TaskTimeoutError, type TaskDefinition } from '../task-definition';
import { executeAttempt, runAttempt } from './attempt';
import { testTaskContext } from '../../../../test/support/task-context';


describe('executeAttempt', () => {
  const executor = new InlineExecutor();

  it("settles with the handler's outcome", async () => {
    const ok: TaskDefinition = { name: 'ok', handler: () => 42 };
    const bad: TaskDefinition = { name: 'bad', handler: () => Promise.reject(new Error('no')) };
    await expect(executeAttempt(executor, ok, testTaskContext(null, { signal: new AbortController().signal }))).resolves.toBe(42);
    await expect(executeAttempt(executor, bad, testTaskContext(null, { signal: new AbortController().signal }))).rejects.toThrow('no');
  });

  it('rejects with the abort reason as soon as the signal aborts, even when the handler ignores it', async () => {
    const controller = new AbortController();
    let release: () => void = () => undefined;
    const task: TaskDefinition = { name: 'stubborn', handler: () => new Promise<void>((resolve) => (release = resolve)) };
    const attempt = executeAttempt(executor, task, testTaskContext(null, { signal: controller.signal }));
    controller.abort(new TaskTimeoutError(5));
    await expect(attempt).rejects.toBeInstanceOf(TaskTimeoutError);
    release();
  });

  it('does not start a handler whose signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('too late'));
    const started: string[] = [];
    await expect(executeAttempt(executor, { name: 'never', handler: () => void started.push('x') }, testTaskContext(null, { signal: controller.signal }))).rejects.toThrow('too late');
    expect(started).toEqual([]);
  });
});

describe('runAttempt', () => {
  const executor = new InlineExecutor();

  afterEach(() => {
    jest.useRealTimers();
  });

  it("reports the handler's result, and clears its time limit", async () => {
    jest.useFakeTimers();
    const controller = new AbortController();
    const outcome = await runAttempt(executor, { name: 'ok', handler: () => 7 }, testTaskContext(null, { signal: controller.signal }), controller, 1_000);
    expect(outcome).toEqual({ ok: true, result: 7 });
    expect(jest.getTimerCount()).toBe(0);
  });

  it('aborts the signal with a TaskTimeoutError at the limit, and fails with it rather than with what the handler threw', async () => {
    jest.useFakeTimers();
    const controller = new AbortController();
    const task: TaskDefinition = {
      name: 'slow',
      handler: ({ signal }) => new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('aborted')))),
    };
    const pending = runAttempt(executor, task, testTaskContext(null, { signal: controller.signal }), controller, 250);
    await jest.advanceTimersByTimeAsync(250);
    const outcome = await pending;
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.error).toEqual(new TaskTimeoutError(250));
  });
});
