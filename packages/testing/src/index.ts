/**
 * `@sundial/testing`: deterministic tests of schedules and tasks. A test environment runs the
 * production coordinator and worker on a virtual clock in an isolated namespace, so a test moves
 * time by hours or days in milliseconds and asserts on the runs that happened.
 *
 * @packageDocumentation
 */
export { TestEnvironment, createTestEnvironment, type AdvanceOptions, type TestRunFilter } from './test-environment';
export { TEST_ENVIRONMENT_DEFAULTS, type TestEnvironmentOptions, type InstantInput } from './test-environment-options';
export type { TestRun } from './test-run';
export type { SettleMode } from './run-settler';
export { EnvironmentNotRunningError, AdvanceInProgressError, RunsNotSettledError, type UnsettledRun } from './environment-errors';
export { VirtualClock } from './virtual-clock';
export { findFreePort } from './free-port';
export { startOwnRedisServer, type OwnRedisServer } from './own-redis-server';
export { startOwnRedisCluster, type OwnRedisCluster, type OwnRedisClusterNode, type OwnRedisClusterOptions } from './own-redis-cluster';
export {
  runTask,
  type RunTaskOptions,
  type RunTaskOutcome,
  type RunTaskSucceeded,
  type RunTaskFailed,
  type RunTaskRecords,
  type TaskLogRecord,
  type TaskLogLevel,
} from '@sundial/worker/testing';
