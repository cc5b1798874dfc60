import { CLIENT_DEFAULTS, ValidationError, resolveClientOptions, type Clock, type RedisConnection, type RedisTarget } from '@sundial/shared';
import type { Logger } from 'pino';
import { RETRY_DEFAULTS } from './define-task';
import type { RetryPolicy, TaskDefinition } from './task-definition';
import { TaskRegistry } from './task-registry';

/** Settings a task inherits when neither the schedule nor the task sets them. */
export interface WorkerTaskDefaults {
  /** Retry settings; each field given replaces the default one. @defaultValue `{ attempts: 1 }` (no retry), exponential backoff from 1 s */
  retry?: Partial<RetryPolicy>;
  /** Time limit of each attempt. @defaultValue none */
  timeoutMs?: number;
}

/** Options of `startWorker`. Only `tasks` is required. */
export interface WorkerOptions {
  /** The tasks this worker runs (definitions, or a `TaskRegistry`); names must be unique. */
  tasks: Iterable<TaskDefinition<never, unknown>>;
  /**
   * A Redis URL, a `RedisTarget` (standalone, Sentinel or Cluster), or an ioredis connection
   * (`Redis` or `Cluster`) the worker uses without closing it.
   *
   * @defaultValue from the environment (`resolveRedisTarget`: `REDIS_URL`, `REDIS_SENTINELS`,
   *   `REDIS_CLUSTER_NODES`), else `redis://127.0.0.1:6379`
   */
  connection?: string | RedisTarget | RedisConnection;
  /** The namespace of the schedules. @defaultValue `SUNDIAL_NAMESPACE`, else `"default"` */
  namespace?: string;
  /**
   * The queues to take jobs from. A job on one of them for a task this worker does not have is
   * left for another worker.
   *
   * @defaultValue the queues of its tasks (`task.queue`, else `"default"`)
   */
  queues?: readonly string[];
  /** Runs at once in this process, across all its queues. @defaultValue 10 */
  concurrency?: number;
  /**
   * Runs this process may take on top of `concurrency`, to hold until their time or a free slot.
   * A coordinator with a lookahead hands runs over before they are due; a worker holds each until
   * its time, outside its concurrency while fewer than `prefetch` are held, so many runs due at one
   * instant start together instead of one BullMQ fetch after another. Runs taken this way wait in
   * this process, not in the queue, for another worker to take: keep it 0 for long runs spread
   * over many workers.
   *
   * @defaultValue 0
   */
  prefetch?: number;
  /** What a task gets when neither its schedule nor its definition says. */
  defaults?: WorkerTaskDefaults;
  /**
   * On `close()` (SIGTERM), how long in-flight runs may go on before their signals are aborted.
   * Below Kubernetes' default 30 s termination grace, so runs end before the pod is killed.
   *
   * @defaultValue 25,000 ms
   */
  shutdownGraceMs?: number;
  /**
   * How often BullMQ looks for runs whose worker died (stalled jobs), and how long a run's lock
   * lives without renewal. A killed worker's runs are taken over by another worker after about
   * one to three times this. Shorter means faster takeover but more Redis load, and a run whose
   * handler blocks the event loop (long synchronous work) for longer than this loses its lock
   * and is run a second time elsewhere: run such tasks in a `thread` or `process` executor.
   *
   * @defaultValue 30,000 ms (BullMQ's default)
   */
  stalledIntervalMs?: number;
  /** How often a run may stall and be taken over before it fails. @defaultValue 1 */
  maxStalledCount?: number;
  /** How often the worker publishes its heartbeat (what `sundial status` lists). @defaultValue 5,000 ms */
  heartbeatEveryMs?: number;
  /** Where the worker logs. @defaultValue pino JSON lines on stderr at `SUNDIAL_LOG_LEVEL` (else `info`) */
  logger?: Logger;
  /**
   * The port on which the worker serves `/metrics`, `/healthz` and `/readyz` (0 picks a free one).
   *
   * @defaultValue none: no HTTP server
   */
  port?: number;
  /**
   * The time run records, events and retry delays are measured in.
   *
   * @defaultValue Redis time
   * @internal `@sundial/testing` passes its virtual clock
   */
  clock?: Clock;
  /**
   * When a run whose attempt failed becomes runnable again: the BullMQ timestamp (local epoch ms)
   * of its delayed job, given the retry delay in the clock's time.
   *
   * @defaultValue `Date.now() + delayMs`
   * @internal `@sundial/testing` parks retries and promotes them when virtual time reaches them
   */
  retryDueAt?: (retry: RetryWait) => number;
}

/** A run waiting for its next attempt, as `WorkerOptions.retryDueAt` is told it. */
export interface RetryWait {
  readonly runId: string;
  readonly queue: string;
  /** The retry delay the task's policy chose, in ms of the worker's clock. */
  readonly delayMs: number;
}

/** A fully resolved retry policy: every field of `RetryPolicy` has a value. */
export type ResolvedRetryPolicy = Required<RetryPolicy>;

/** `WorkerOptions` with every default applied and every value checked. */
export interface ResolvedWorkerOptions {
  /** The tasks, by name. */
  readonly tasks: TaskRegistry;
  readonly connection: string | RedisTarget | RedisConnection;
  readonly namespace: string;
  readonly queues: readonly string[];
  readonly concurrency: number;
  readonly prefetch: number;
  readonly defaults: { readonly retry: ResolvedRetryPolicy; readonly timeoutMs: number | undefined };
  readonly shutdownGraceMs: number;
  readonly stalledIntervalMs: number;
  readonly maxStalledCount: number;
  readonly heartbeatEveryMs: number;
  /** Approximate length at which the events stream is trimmed (the client's). */
  readonly eventsMaxLength: number;
  readonly logger: Logger | undefined;
  readonly port: number | undefined;
  /** @internal */
  readonly clock: Clock | undefined;
  /** @internal */
  readonly retryDueAt: ((retry: RetryWait) => number) | undefined;
}

/** The worker's defaults, in one place. */
export const WORKER_DEFAULTS = {
  concurrency: 10,
  prefetch: 0,
  shutdownGraceMs: 25_000,
  stalledIntervalMs: 30_000,
  maxStalledCount: 1,
  heartbeatEveryMs: 5_000,
  retry: RETRY_DEFAULTS,
} as const;

const QUEUE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

function wholeNumber(field: string, value: unknown, fallback: number, min: number): number {
  const resolved = value ?? fallback;
  if (typeof resolved !== 'number' || !Number.isSafeInteger(resolved) || resolved < min) {
    throw new ValidationError(field, `expected a whole number of at least ${min}, got ${JSON.stringify(value)}`);
  }
  return resolved;
}

function optionalWhole(field: string, value: unknown, min: number): number | undefined {
  return value === undefined ? undefined : wholeNumber(field, value, 0, min);
}

function resolvePort(port: unknown): number | undefined {
  if (port === undefined) return undefined;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65_535) throw new ValidationError('port', `expected a port number from 0 to 65535, got ${JSON.stringify(port)}`);
  return port;
}

function resolveRetry(field: string, retry: Partial<RetryPolicy> | undefined, base: ResolvedRetryPolicy): ResolvedRetryPolicy {
  if (retry === undefined) return base;
  if (typeof retry !== 'object' || retry === null) throw new ValidationError(field, `expected an object, got ${JSON.stringify(retry)}`);
  const backoff = retry.backoff ?? base.backoff;
  if (backoff !== 'fixed' && backoff !== 'exponential' && typeof backoff !== 'function') {
    throw new ValidationError(`${field}.backoff`, `expected "fixed", "exponential" or a function, got ${JSON.stringify(backoff)}`);
  }
  const jitter = retry.jitter ?? base.jitter;
  if (typeof jitter !== 'number' || !(jitter >= 0 && jitter <= 1)) throw new ValidationError(`${field}.jitter`, `expected a number from 0 to 1, got ${JSON.stringify(retry.jitter)}`);
  return {
    attempts: wholeNumber(`${field}.attempts`, retry.attempts, base.attempts, 1),
    backoff,
    delayMs: wholeNumber(`${field}.delayMs`, retry.delayMs, base.delayMs, 0),
    maxDelayMs: wholeNumber(`${field}.maxDelayMs`, retry.maxDelayMs, base.maxDelayMs, 0),
    jitter,
  };
}

function resolveTasks(tasks: unknown): TaskRegistry {
  if (tasks instanceof TaskRegistry) return tasks;
  if (typeof tasks !== 'object' || tasks === null || !(Symbol.iterator in tasks)) throw new ValidationError('tasks', 'expected an array of task definitions or a TaskRegistry');
  const registry = new TaskRegistry(tasks as Iterable<TaskDefinition>);
  if (registry.size === 0) throw new ValidationError('tasks', 'expected at least one task definition');
  return registry;
}

function resolveQueues(queues: readonly string[] | undefined, tasks: TaskRegistry): string[] {
  if (queues === undefined) return tasks.queues();
  if (!Array.isArray(queues) || queues.length === 0) throw new ValidationError('queues', 'expected at least one queue name');
  for (const queue of queues) {
    if (typeof queue !== 'string' || !QUEUE.test(queue)) throw new ValidationError('queues', `expected queue names of 1-100 letters, digits or . _ - (no ":"), got ${JSON.stringify(queue)}`);
  }
  return [...new Set(queues)];
}

/**
 * Applies the defaults (`REDIS_URL` and `SUNDIAL_NAMESPACE` from `env` among them) and checks
 * every value.
 *
 * @throws ValidationError naming the option, e.g. `concurrency`; TaskDefinitionError naming the task and
 *   its field (and a `thread` or `process` task without `modulePath`); DuplicateTaskError for two
 *   tasks with one name
 */
export function resolveWorkerOptions(options: WorkerOptions, env: NodeJS.ProcessEnv = process.env): ResolvedWorkerOptions {
  if (typeof options !== 'object' || options === null) throw new ValidationError('tasks', 'expected worker options with at least { tasks }');
  const client = resolveClientOptions({ ...(options.connection !== undefined && { connection: options.connection }), ...(options.namespace !== undefined && { namespace: options.namespace }) }, env);
  const tasks = resolveTasks(options.tasks);
  return {
    tasks,
    connection: client.connection,
    namespace: client.namespace,
    queues: resolveQueues(options.queues, tasks),
    concurrency: wholeNumber('concurrency', options.concurrency, WORKER_DEFAULTS.concurrency, 1),
    prefetch: wholeNumber('prefetch', options.prefetch, WORKER_DEFAULTS.prefetch, 0),
    defaults: {
      retry: resolveRetry('defaults.retry', options.defaults?.retry, WORKER_DEFAULTS.retry),
      timeoutMs: optionalWhole('defaults.timeoutMs', options.defaults?.timeoutMs, 1),
    },
    shutdownGraceMs: wholeNumber('shutdownGraceMs', options.shutdownGraceMs, WORKER_DEFAULTS.shutdownGraceMs, 0),
    stalledIntervalMs: wholeNumber('stalledIntervalMs', options.stalledIntervalMs, WORKER_DEFAULTS.stalledIntervalMs, 100),
    maxStalledCount: wholeNumber('maxStalledCount', options.maxStalledCount, WORKER_DEFAULTS.maxStalledCount, 0),
    heartbeatEveryMs: wholeNumber('heartbeatEveryMs', options.heartbeatEveryMs, WORKER_DEFAULTS.heartbeatEveryMs, 100),
    eventsMaxLength: CLIENT_DEFAULTS.eventsMaxLength,
    logger: options.logger,
    port: resolvePort(options.port),
    clock: options.clock,
    retryDueAt: options.retryDueAt,
  };
}
