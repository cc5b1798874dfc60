import { createExecutor, type Executor } from '../executors/index';
import type { ExecutorKind } from '../task-definition';

/** One executor of each kind a worker's tasks use, created when first needed. */
export class ExecutorPool {
  private readonly executors = new Map<ExecutorKind, Executor>();

  /** The executor of a kind. */
  get(kind: ExecutorKind): Executor {
    let executor = this.executors.get(kind);
    if (!executor) {
      executor = createExecutor(kind);
      this.executors.set(kind, executor);
    }
    return executor;
  }

  /** Ends the sandboxes of every executor. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.executors.values()].map((executor) => executor.close()));
    this.executors.clear();
  }
}
