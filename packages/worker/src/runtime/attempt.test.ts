import pino from 'pino';
import { InlineExecutor } from '../executors/index';
import { TaskTimeoutError, type TaskContext, type TaskDefinition } from '../task-definition';
import { executeAttempt } from './attempt';

function context(signal: AbortSignal): TaskContext {
  return { runId: 'r@1', scheduleId: 'r', fireTime: new Date(1), attempt: 1, data: null, signal, logger: pino({ level: 'silent' }), progress: async () => undefined };
}

describe('executeAttempt', () => {
  const executor = new InlineExecutor();

  it("settles with the handler's outcome", async () => {
    const ok: TaskDefinition = { name: 'ok', handler: () => 42 };
    const bad: TaskDefinition = { name: 'bad', handler: () => Promise.reject(new Error('no')) };
    await expect(executeAttempt(executor, ok, context(new AbortController().signal))).resolves.toBe(42);
    await expect(executeAttempt(executor, bad, context(new AbortController().signal))).rejects.toThrow('no');
  });

  it('rejects with the abort reason as soon as the signal aborts, even when the handler ignores it', async () => {
    const controller = new AbortController();
    let release: () => void = () => undefined;
    const task: TaskDefinition = { name: 'stubborn', handler: () => new Promise<void>((resolve) => (release = resolve)) };
    const attempt = executeAttempt(executor, task, context(controller.signal));
    controller.abort(new TaskTimeoutError(5));
    await expect(attempt).rejects.toBeInstanceOf(TaskTimeoutError);
    release();
  });

  it('does not start a handler whose signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('too late'));
    const started: string[] = [];
    await expect(executeAttempt(executor, { name: 'never', handler: () => void started.push('x') }, context(controller.signal))).rejects.toThrow('too late');
    expect(started).toEqual([]);
  });
});
