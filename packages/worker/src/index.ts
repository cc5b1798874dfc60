/**
 * `@sundial/worker`: the Sundial worker runtime.
 *
 * @packageDocumentation
 */
export { startWorker, SHUTDOWN_ABORT_WAIT_MS, type SundialWorker, type WorkerParts } from './start-worker';
export { startWorkerGroup, type WorkerGroup, type WorkerGroupOptions } from './start-worker-group';
export { DEFAULT_WORKER_PORT } from './cli/worker-flags';
export {
  resolveWorkerOptions,
  WORKER_DEFAULTS,
  type WorkerOptions,
  type WorkerTaskDefaults,
  type ResolvedWorkerOptions,
  type ResolvedRetryPolicy,
  type RetryWait,
} from './worker-options';
export { RunCancelledError, WorkerShutdownError } from './runtime/abort-reasons';
export { defineTask, validateTaskDefinition } from './define-task';
export { backoffDelayMs, RETRY_DEFAULTS } from './task-retry';
export { task, tasksOf, type TaskOptions, type TaskMethod } from './task-decorator';
export { TaskRegistry, type TaskRegistryOptions } from './task-registry';
export { loadTaskModule, type LoadTaskModuleOptions } from './load-task-module';
export {
  UnrecoverableError,
  TaskTimeoutError,
  type TaskDefinition,
  type TaskContext,
  type TaskHandler,
  type RetryPolicy,
  type BackoffFunction,
  type ExecutorKind,
} from './task-definition';
export { TaskDefinitionError, DuplicateTaskError, TaskModuleError } from './task-errors';
export {
  createExecutor,
  InlineExecutor,
  ThreadExecutor,
  ProcessExecutor,
  SandboxExecutor,
  DEFAULT_ABORT_GRACE_MS,
  SandboxExitError,
  SandboxCrashError,
  ExecutorClosedError,
  type Executor,
  type SandboxExecutorOptions,
} from './executors/index';
