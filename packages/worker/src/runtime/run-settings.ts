import type { AttemptState } from '@sundial/shared';
import type { RetryPolicy, TaskDefinition } from '../task-definition';
import type { ResolvedRetryPolicy, ResolvedWorkerOptions } from '../worker-options';

/** What a schedule imposes on its runs, as the coordinator puts it in the BullMQ job. */
export interface ScheduleOverrides {
  /** `job.opts.attempts`. */
  readonly attempts?: number;
  /** `job.opts.backoff`: a delay, or a type and a delay. */
  readonly backoff?: number | { readonly type?: string; readonly delay?: number };
  /** `job.data.timeoutMs`. */
  readonly timeoutMs?: number;
}

/** The settings of one run: its schedule's overrides, else its task's, else the worker's defaults. */
export interface RunSettings {
  readonly retry: ResolvedRetryPolicy;
  /** Time limit of each attempt; undefined for none. */
  readonly timeoutMs: number | undefined;
}

function scheduleRetry(overrides: ScheduleOverrides): Partial<RetryPolicy> {
  const retry: Partial<RetryPolicy> = {};
  if (overrides.attempts !== undefined && overrides.attempts >= 1) retry.attempts = overrides.attempts;
  const { backoff } = overrides;
  if (typeof backoff === 'number') retry.delayMs = backoff;
  else if (backoff) {
    if (backoff.type === 'fixed' || backoff.type === 'exponential') retry.backoff = backoff.type;
    if (backoff.delay !== undefined) retry.delayMs = backoff.delay;
  }
  return retry;
}

function definedFields<T extends object>(value: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(value ?? {}).filter(([, field]) => field !== undefined)) as Partial<T>;
}

/**
 * Resolves a run's settings field by field: the schedule's overrides first, then the task
 * definition, then the worker's defaults. A schedule that sets no retry leaves the task's policy
 * in force.
 */
export function resolveRunSettings(overrides: ScheduleOverrides, task: TaskDefinition, defaults: ResolvedWorkerOptions['defaults']): RunSettings {
  return {
    retry: { ...defaults.retry, ...definedFields(task.retry), ...scheduleRetry(overrides) },
    timeoutMs: overrides.timeoutMs ?? task.timeoutMs ?? defaults.timeoutMs,
  };
}

/** The attempt's number within its round (1 for the first): what the retry policy counts. */
export function attemptInRound(state: AttemptState): number {
  return state.attempt - state.roundStart + 1;
}

/** Whether another attempt follows a failed one, under the run's policy. */
export function retryRemains(state: AttemptState, retry: ResolvedRetryPolicy): boolean {
  return attemptInRound(state) < retry.attempts;
}
