import type { ExecutorKind } from '../task-definition';
import type { Executor } from './executor';
import { InlineExecutor } from './inline-executor';
import { ProcessExecutor } from './process-executor';
import type { SandboxExecutorOptions } from './sandbox-executor';
import { ThreadExecutor } from './thread-executor';

export type { Executor } from './executor';
export { InlineExecutor } from './inline-executor';
export { ThreadExecutor } from './thread-executor';
export { ProcessExecutor } from './process-executor';
export { SandboxExecutor, DEFAULT_ABORT_GRACE_MS, type SandboxExecutorOptions } from './sandbox-executor';
export { SandboxExitError, SandboxCrashError, ExecutorClosedError } from './sandbox-errors';

/**
 * An executor of a kind: `inline` (the event loop), `thread` (a worker thread per attempt) or
 * `process` (a child process per attempt). One executor serves any number of tasks and attempts
 * at once; close it when the worker stops.
 *
 * @param options - for `thread` and `process`; ignored by `inline`
 */
export function createExecutor(kind: ExecutorKind, options: SandboxExecutorOptions = {}): Executor {
  switch (kind) {
    case 'inline':
      return new InlineExecutor();
    case 'thread':
      return new ThreadExecutor(options);
    case 'process':
      return new ProcessExecutor(options);
  }
}
