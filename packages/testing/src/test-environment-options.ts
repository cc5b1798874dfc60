import { TimeZone, ValidationError, parseInstant } from '@sundial/shared';
import type { TaskDefinition, WorkerTaskDefaults } from '@sundial/worker';
import type { Logger } from 'pino';

/** An instant: a `Date`, epoch milliseconds, or ISO-8601 text (without an offset: wall time in the environment's `timezone`). */
export type InstantInput = Date | number | string;

/** Options of {@link createTestEnvironment}. Only `tasks` is required. */
export interface TestEnvironmentOptions {
  /** The tasks the environment's worker runs. */
  tasks: Iterable<TaskDefinition<never, unknown>>;
  /**
   * The URL of a Redis to use; the environment touches only the keys of its own namespace and
   * deletes them on `close()`.
   *
   * @defaultValue its own `redis-server`, started from the PATH on a free port and stopped on `close()`
   */
  redis?: string;
  /** Where virtual time starts. @defaultValue the current time */
  start?: InstantInput;
  /** The IANA zone in which instants without an offset are read, and in which runs' `localFireTime` is written. @defaultValue `"UTC"` */
  timezone?: string;
  /** Runs at once in the worker. @defaultValue 10 */
  concurrency?: number;
  /** What a task gets when neither its schedule nor its definition says (retry, timeout), as for `startWorker`. */
  defaults?: WorkerTaskDefaults;
  /**
   * The longest an advance waits, in real time, for the runs of one virtual instant to settle
   * before it cancels them and fails with `RunsNotSettledError`. Keep it above the longest task
   * timeout, so a timeout fails the attempt first.
   *
   * @defaultValue 10,000 ms
   */
  settleTimeoutMs?: number;
  /** Where the coordinator and the worker log. @defaultValue silent */
  logger?: Logger;
}

/** The options in effect. */
export interface ResolvedTestEnvironmentOptions {
  readonly tasks: Iterable<TaskDefinition<never, unknown>>;
  readonly redis: string | undefined;
  readonly startMs: number;
  readonly zone: TimeZone;
  readonly concurrency: number | undefined;
  readonly defaults: WorkerTaskDefaults | undefined;
  readonly settleTimeoutMs: number;
  readonly logger: Logger | undefined;
}

/** The defaults of {@link TestEnvironmentOptions}. */
export const TEST_ENVIRONMENT_DEFAULTS = {
  timezone: 'UTC',
  settleTimeoutMs: 10_000,
} as const;

/**
 * An instant as epoch milliseconds.
 *
 * @throws ValidationError naming `field`
 */
export function parseInstantInput(value: unknown, zone: TimeZone, field: string): number {
  if (value instanceof Date && Number.isFinite(value.getTime())) return value.getTime();
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  if (typeof value === 'string') return parseInstant(value, zone, field);
  throw new ValidationError(field, `expected a Date, epoch milliseconds or an ISO-8601 date-time, got ${value instanceof Date ? 'an invalid Date' : JSON.stringify(value)}`);
}

/**
 * Applies the defaults and checks the values.
 *
 * @throws ValidationError naming the option
 */
export function resolveTestEnvironmentOptions(options: TestEnvironmentOptions, nowMs: number): ResolvedTestEnvironmentOptions {
  if (typeof options !== 'object' || options === null) throw new ValidationError('tasks', 'expected options with at least { tasks }');
  const zone = TimeZone.of(options.timezone ?? TEST_ENVIRONMENT_DEFAULTS.timezone, 'timezone');
  if (options.redis !== undefined && (typeof options.redis !== 'string' || !/^rediss?:\/\//.test(options.redis))) {
    throw new ValidationError('redis', `expected a redis:// or rediss:// URL, got ${JSON.stringify(options.redis)}`);
  }
  const settleTimeoutMs = options.settleTimeoutMs ?? TEST_ENVIRONMENT_DEFAULTS.settleTimeoutMs;
  if (!Number.isSafeInteger(settleTimeoutMs) || settleTimeoutMs < 1) {
    throw new ValidationError('settleTimeoutMs', `expected a whole number of milliseconds, at least 1, got ${JSON.stringify(options.settleTimeoutMs)}`);
  }
  return {
    tasks: options.tasks,
    redis: options.redis,
    startMs: options.start === undefined ? nowMs : parseInstantInput(options.start, zone, 'start'),
    zone,
    concurrency: options.concurrency,
    defaults: options.defaults,
    settleTimeoutMs,
    logger: options.logger,
  };
}
