import type { ExecutorKind, TaskContext, TaskDefinition } from '../task-definition';

/**
 * Runs one attempt of a task's handler somewhere: on the event loop (`inline`), in a worker
 * thread (`thread`) or in a child process (`process`). It resolves with the handler's result and
 * rejects with its error; a crash or `process.exit` in a sandbox rejects the attempt, never the
 * worker. When `context.signal` aborts, the attempt rejects with the signal's reason (the very
 * object), whatever the handler does.
 */
export interface Executor {
  /** Where it runs handlers. */
  readonly kind: ExecutorKind;
  /** Runs one attempt. */
  run(task: TaskDefinition, context: TaskContext): Promise<unknown>;
  /** Ends the sandboxes it keeps, aborting the attempts still running in them. */
  close(): Promise<void>;
}
