import type { TaskContext, TaskDefinition } from '../task-definition';

/**
 * Runs one attempt of a task's handler somewhere: on the event loop (`inline`), in a worker
 * thread (`thread`) or in a child process (`process`). It resolves with the handler's result and
 * rejects with its error; a crash or `process.exit` in a sandbox rejects the attempt, never the
 * worker. It aborts the handler when `context.signal` aborts.
 */
export interface Executor {
  readonly kind: TaskDefinition['executor'];
  run(task: TaskDefinition, context: TaskContext): Promise<unknown>;
  /** Ends sandboxes it keeps. */
  close(): Promise<void>;
}
