/**
 * `@sundial/worker/testing`: unit tests of task handlers, with no Redis and no worker.
 *
 * @packageDocumentation
 */
export { runTask, type RunTaskOptions, type RunTaskOutcome, type RunTaskSucceeded, type RunTaskFailed, type RunTaskRecords } from './run-task';
export type { TaskLogRecord, TaskLogLevel } from './recording-logger';
