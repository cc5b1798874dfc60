import type { TaskContext, TaskDefinition } from '../task-definition';
import type { Executor } from './executor';

/**
 * Runs handlers on the worker's event loop: the cheapest executor, for I/O-bound work. A handler
 * that ignores its signal cannot be stopped here: when the signal aborts, the attempt rejects at
 * once with the abort reason, and the handler goes on in the background, its outcome unused.
 * Long synchronous work blocks the whole worker; give such tasks the `thread` or `process`
 * executor.
 */
export class InlineExecutor implements Executor {
  /** Where it runs handlers. */
  readonly kind = 'inline';

  /** Runs one attempt; settles with the handler, or with the abort reason as soon as the signal aborts. */
  run(task: TaskDefinition, context: TaskContext): Promise<unknown> {
    const { signal } = context;
    if (signal.aborted) return Promise.reject(signal.reason as unknown);
    return new Promise((resolve, reject) => {
      const onAbort = (): void => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      new Promise<unknown>((run) => run(task.handler(context))).then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  /** Nothing to end: it keeps no sandboxes. */
  async close(): Promise<void> {}
}
