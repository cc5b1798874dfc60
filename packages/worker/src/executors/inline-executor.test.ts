import { rejectionOf } from '../../../../test/support/errors';
import { testTaskContext } from '../../../../test/support/task-context';
import { defineTask } from '../define-task';
import { TaskTimeoutError, UnrecoverableError, type TaskContext, type TaskHandler } from '../task-definition';
import { createExecutor } from './index';
import { InlineExecutor } from './inline-executor';


function taskWith(handler: TaskHandler): ReturnType<typeof defineTask> {
  return defineTask({ name: 'under-test', handler });
}

describe('InlineExecutor', () => {
  const executor = new InlineExecutor();

  it('is what createExecutor("inline") gives', () => {
    expect(createExecutor('inline')).toBeInstanceOf(InlineExecutor);
    expect(executor.kind).toBe('inline');
  });

  it('resolves with the handler result, passing the context as it is', async () => {
    const context = testTaskContext({ n: 2 });
    let received: TaskContext | undefined;
    await expect(
      executor.run(
        taskWith(async (given) => {
          received = given;
          return (given.data as { n: number }).n * 21;
        }),
        context,
      ),
    ).resolves.toBe(42);
    expect(received).toBe(context);
  });

  it('takes a handler that returns without a promise', async () => {
    await expect(executor.run(taskWith(() => 'sync'), testTaskContext(null))).resolves.toBe('sync');
  });

  it('rejects with the very error the handler threw, async or not', async () => {
    const failure = new UnrecoverableError('no such customer');
    await expect(executor.run(taskWith(async () => Promise.reject(failure)), testTaskContext(null))).rejects.toBe(failure);
    await expect(
      executor.run(
        taskWith(() => {
          throw failure;
        }),
        testTaskContext(null),
      ),
    ).rejects.toBe(failure);
  });

  it('rejects with the abort reason when a handler honours its signal', async () => {
    const controller = new AbortController();
    const reason = new TaskTimeoutError(100);
    const attempt = executor.run(
      taskWith(
        ({ signal }) =>
          new Promise((_resolve, reject) => {
            signal.addEventListener('abort', () => reject(new Error('stopped cleanly')), { once: true });
          }),
      ),
      testTaskContext(null, { signal: controller.signal }),
    );
    controller.abort(reason);
    await expect(attempt).rejects.toBe(reason);
  });

  it('rejects with the abort reason at once when a handler ignores its signal', async () => {
    const controller = new AbortController();
    const reason = new Error('cancelled');
    let finish!: (value: string) => void;
    let finished = false;
    const attempt = executor.run(
      taskWith(
        () =>
          new Promise<string>((resolve) => {
            finish = resolve;
          }).then((value) => {
            finished = true;
            return value;
          }),
      ),
      testTaskContext(null, { signal: controller.signal }),
    );
    controller.abort(reason);
    expect(await rejectionOf(attempt)).toBe(reason);
    finish('too late');
    await new Promise((resolve) => setImmediate(resolve));
    expect(finished).toBe(true);
  });

  it('does not call the handler when the signal is already aborted', async () => {
    const reason = new Error('shutting down');
    let called = false;
    const attempt = executor.run(
      taskWith(() => {
        called = true;
      }),
      testTaskContext(null, { signal: AbortSignal.abort(reason) }),
    );
    await expect(attempt).rejects.toBe(reason);
    expect(called).toBe(false);
  });

  it('closes with nothing to end', async () => {
    await expect(executor.close()).resolves.toBeUndefined();
  });
});
