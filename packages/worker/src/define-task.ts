import { isAbsolute } from 'node:path';
import { z } from 'zod';
import type { RetryPolicy, TaskDefinition } from './task-definition';
import { TaskDefinitionError } from './task-errors';
import { RETRY_DEFAULTS } from './task-retry';

export { RETRY_DEFAULTS, backoffDelayMs } from './task-retry';

const NAME = /^[A-Za-z0-9._:-]{1,200}$/;
const QUEUE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

function whole(expected: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  return z.custom<number>((value) => Number.isSafeInteger(value) && (value as number) >= min && (value as number) <= max, { error: expected });
}

const retrySchema = z
  .strictObject(
    {
      attempts: whole('expected a whole number from 1 to 100', 1, 100),
      backoff: z
        .custom<RetryPolicy['backoff']>((value) => value === 'fixed' || value === 'exponential' || typeof value === 'function', {
          error: 'expected "fixed", "exponential" or a function (attempt, error) => ms',
        })
        .optional(),
      delayMs: whole('expected a whole number of milliseconds, 0 or more', 0).optional(),
      maxDelayMs: whole('expected a whole number of milliseconds, 0 or more', 0).optional(),
      jitter: z.custom<number>((value) => typeof value === 'number' && value >= 0 && value <= 1, { error: 'expected a number from 0 to 1' }).optional(),
    },
    { error: 'expected a retry policy { attempts, backoff?, delayMs?, maxDelayMs?, jitter? }' },
  )
  .superRefine((retry, context) => {
    const delayMs = retry.delayMs ?? RETRY_DEFAULTS.delayMs;
    if (retry.maxDelayMs !== undefined && retry.maxDelayMs < delayMs) {
      context.addIssue({ code: 'custom', path: ['maxDelayMs'], message: `expected at least delayMs (${delayMs})` });
    } else if (retry.maxDelayMs === undefined && delayMs > RETRY_DEFAULTS.maxDelayMs) {
      context.addIssue({
        code: 'custom',
        path: ['delayMs'],
        message: `expected at most ${RETRY_DEFAULTS.maxDelayMs}, the default maxDelayMs (set maxDelayMs to allow longer delays)`,
      });
    }
  });

const definitionSchema = z.strictObject(
  {
    name: z.custom<string>((value) => typeof value === 'string' && NAME.test(value), {
      error: 'expected a task name (1-200 letters, digits and . _ - :)',
    }),
    handler: z.custom<TaskDefinition['handler']>((value) => typeof value === 'function', { error: 'expected a function' }),
    queue: z
      .custom<string>((value) => typeof value === 'string' && QUEUE.test(value), { error: 'expected a queue name (1-100 letters, digits and . _ -, no ":")' })
      .optional(),
    concurrency: whole('expected a positive whole number', 1).optional(),
    globalConcurrency: whole('expected a positive whole number', 1).optional(),
    retry: retrySchema.optional(),
    timeoutMs: whole('expected a positive whole number of milliseconds', 1).optional(),
    executor: z
      .custom<TaskDefinition['executor']>((value) => value === 'inline' || value === 'thread' || value === 'process', {
        error: 'expected "inline", "thread" or "process"',
      })
      .optional(),
    modulePath: z.custom<string>((value) => typeof value === 'string' && isAbsolute(value), { error: 'expected an absolute file path' }).optional(),
  },
  { error: 'expected a task definition { name, handler, ... }' },
);

const validated = new WeakSet<object>();

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.length === 0 ? 'an empty array' : `an array of ${value.length}`;
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === 'function') return 'a function';
  return typeof value === 'object' ? 'an object' : String(value);
}

function joinField(field: string, key: PropertyKey): string {
  if (typeof key === 'number') return `${field}[${key}]`;
  return field ? `${field}.${String(key)}` : String(key);
}

function taskLabel(input: unknown, fallback: string): string {
  const name = typeof input === 'object' && input !== null ? (input as { name?: unknown }).name : undefined;
  return typeof name === 'string' && name.length > 0 && name.length <= 200 ? `task ${JSON.stringify(name)}` : fallback;
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}

/**
 * Checks a task definition from any source and returns it frozen. What `defineTask` does, for
 * values of unknown type; `label` names the task in errors when its own name is unusable.
 *
 * @throws TaskDefinitionError naming the task and the field
 */
export function validateTaskDefinition(input: unknown, label = 'task'): TaskDefinition {
  if (typeof input === 'object' && input !== null && validated.has(input)) return input as TaskDefinition;
  const result = definitionSchema.safeParse(input);
  if (!result.success) {
    const task = taskLabel(input, label);
    const issue = result.error.issues[0];
    if (!issue) throw new TaskDefinitionError(task, '', 'is invalid');
    let field = '';
    let received: unknown = input;
    for (const key of issue.path) {
      field = joinField(field, key);
      received = typeof received === 'object' && received !== null ? (received as Record<PropertyKey, unknown>)[key] : undefined;
    }
    if (issue.code === 'unrecognized_keys') {
      const [first = '', ...others] = issue.keys;
      throw new TaskDefinitionError(task, joinField(field, first), `unknown field${others.length > 0 ? ` (also ${others.join(', ')})` : ''}`);
    }
    throw new TaskDefinitionError(task, field, received === undefined ? issue.message : `${issue.message}, got ${describe(received)}`);
  }
  const { retry, ...rest } = result.data;
  const definition = Object.freeze(withoutUndefined({ ...rest, ...(retry && { retry: Object.freeze(withoutUndefined(retry)) }) })) as TaskDefinition;
  validated.add(definition);
  return definition;
}

/**
 * Defines a task: checks the definition and returns it frozen, in the same shape (defaults are
 * applied by the worker, not filled in here). Export the result from the module you pass to
 * `sundial-worker --tasks`, or give it to `startWorker`.
 *
 * @example
 * ```ts
 * export const report = defineTask({
 *   name: 'report',
 *   retry: { attempts: 5, backoff: 'exponential', delayMs: 2_000, jitter: 0.2 },
 *   timeoutMs: 60_000,
 *   async handler({ data, signal, logger }) {
 *     logger.info({ data }, 'building the report');
 *     return buildReport(data, { signal });
 *   },
 * });
 * ```
 *
 * @throws TaskDefinitionError (a `ValidationError`) naming the task and the field, e.g.
 *   `task "report": retry.attempts: expected a whole number from 1 to 100, got 0`
 */
export function defineTask<Data = unknown, Result = unknown>(definition: TaskDefinition<Data, Result>): TaskDefinition<Data, Result> {
  return validateTaskDefinition(definition) as TaskDefinition<Data, Result>;
}
