import { ValidationError, type CoalescePolicy, type OverlapPolicy, type RetryOverride, type ScheduleInput } from '@sundial/shared';
import { parseChoiceFlag, parseJsonFlag, parseWholeNumberFlag } from './flag-values';
import type { ScheduleFlags } from './schedule-flags';
import { triggerFromFlags, type TriggerFlags } from './trigger-flags';

/** The fields `schedule update` may change: a schedule input's, without its id and paused state. */
export type ScheduleChanges = Partial<Omit<ScheduleInput, 'id' | 'paused'>>;

/** The choices of `--coalesce`. */
export const COALESCE_POLICIES = ['latest', 'earliest', 'all'] as const satisfies readonly CoalescePolicy[];
/** The choices of `--overlap`. */
export const OVERLAP_POLICIES = ['allow', 'skip', 'buffer-one', 'cancel-previous'] as const satisfies readonly OverlapPolicy[];
/** The choices of `--retry-backoff`. */
export const RETRY_BACKOFFS = ['fixed', 'exponential'] as const satisfies readonly NonNullable<RetryOverride['backoff']>[];

const TRIGGER_FLAG_KEYS = ['cron', 'every', 'at', 'trigger', 'timezone', 'start', 'end', 'jitter'] as const satisfies readonly (keyof TriggerFlags)[];

/** Whether any trigger flag (`--cron`, `--tz`, ...) was given. */
export function hasTriggerFlags(flags: TriggerFlags): boolean {
  return TRIGGER_FLAG_KEYS.some((key) => flags[key] !== undefined);
}

/**
 * Labels from repeated `--label key=value` flags.
 *
 * @throws ValidationError naming `--label` for a flag without `=` or a key given twice
 */
export function labelsFromFlags(values: readonly string[]): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const value of values) {
    const equals = value.indexOf('=');
    if (equals <= 0) throw new ValidationError('--label', `expected key=value, got ${JSON.stringify(value)}`);
    const key = value.slice(0, equals);
    if (Object.hasOwn(labels, key)) throw new ValidationError('--label', `the key ${JSON.stringify(key)} is given twice`);
    labels[key] = value.slice(equals + 1);
  }
  return labels;
}

/**
 * The retry settings the `--retry-*` flags give, over `current` (the schedule's, on update);
 * undefined when no retry flag was given.
 *
 * @throws ValidationError naming `--retry-attempts` when backoff or delay come without attempts to go with
 */
export function retryFromFlags(flags: ScheduleFlags, current?: RetryOverride): ScheduleInput['retry'] {
  const { retryAttempts, retryBackoff, retryDelay } = flags;
  if (retryAttempts === undefined && retryBackoff === undefined && retryDelay === undefined) return undefined;
  const attempts = retryAttempts === undefined ? current?.attempts : parseWholeNumberFlag(retryAttempts, '--retry-attempts');
  if (attempts === undefined) {
    throw new ValidationError('--retry-attempts', 'is required with --retry-backoff and --retry-delay: how many attempts in total?');
  }
  const retry: NonNullable<ScheduleInput['retry']> = { attempts };
  const backoff = retryBackoff === undefined ? current?.backoff : parseChoiceFlag(retryBackoff, '--retry-backoff', RETRY_BACKOFFS);
  if (backoff !== undefined) retry.backoff = backoff;
  const delay = retryDelay ?? current?.delay;
  if (delay !== undefined) retry.delay = delay;
  return retry;
}

/** The schedule fields the flags give, trigger aside; durations stay text for the validation to parse and name. */
function fieldsFromFlags(flags: ScheduleFlags, currentRetry: RetryOverride | undefined): ScheduleChanges {
  const fields: ScheduleChanges = {};
  if (flags.task !== undefined) fields.task = flags.task;
  if (flags.data !== undefined) fields.data = parseJsonFlag(flags.data, '--data');
  if (flags.queue !== undefined) fields.queue = flags.queue;
  if (flags.misfireGrace !== undefined) fields.misfireGrace = flags.misfireGrace === 'none' ? null : flags.misfireGrace;
  if (flags.coalesce !== undefined) fields.coalesce = parseChoiceFlag(flags.coalesce, '--coalesce', COALESCE_POLICIES);
  if (flags.catchUpLimit !== undefined) fields.catchUpLimit = parseWholeNumberFlag(flags.catchUpLimit, '--catch-up-limit');
  if (flags.overlap !== undefined) fields.overlap = parseChoiceFlag(flags.overlap, '--overlap', OVERLAP_POLICIES);
  if (flags.maxInstances !== undefined) fields.maxInstances = parseWholeNumberFlag(flags.maxInstances, '--max-instances');
  if (flags.priority !== undefined) fields.priority = parseWholeNumberFlag(flags.priority, '--priority');
  if (flags.timeout !== undefined) fields.timeout = flags.timeout;
  const retry = retryFromFlags(flags, currentRetry);
  if (retry !== undefined) fields.retry = retry;
  if (flags.label !== undefined) fields.labels = labelsFromFlags(flags.label);
  return fields;
}

/**
 * Builds the input of `schedule add` from its id and flags. It checks what the flags themselves
 * can get wrong (malformed `--data` JSON, a word that is not one of the choices, a number that
 * is not a whole number); `validateSchedule` checks the rest.
 *
 * @example
 * scheduleInputFromFlags('nightly', { task: 'report', cron: '0 2 * * *', maxInstances: '2' })
 * // → { id: 'nightly', task: 'report', trigger: { cron: '0 2 * * *' }, maxInstances: 2 }
 *
 * @throws ValidationError (InvalidTriggerError for the trigger flags) naming the flag
 */
export function scheduleInputFromFlags(id: string, flags: ScheduleFlags & { paused?: boolean }): ScheduleInput {
  if (flags.task === undefined) throw new ValidationError('--task', 'is required: the name of the task a worker runs');
  const input: ScheduleInput = { id, task: flags.task, trigger: triggerFromFlags(flags), ...fieldsFromFlags(flags, undefined) };
  if (flags.paused) input.paused = true;
  return input;
}

/**
 * Builds the changes of `schedule update`: only the fields whose flags were given. Trigger flags,
 * when any is given, form the whole new trigger. `--label` flags replace all labels; `--retry-*`
 * flags change the schedule's `currentRetry` field by field.
 *
 * @throws ValidationError naming the flag; also when no flag was given at all
 */
export function scheduleChangesFromFlags(flags: ScheduleFlags, currentRetry?: RetryOverride): ScheduleChanges {
  const changes = fieldsFromFlags(flags, currentRetry);
  if (hasTriggerFlags(flags)) changes.trigger = triggerFromFlags(flags);
  if (Object.keys(changes).length === 0) {
    throw new ValidationError('', 'nothing to change: give the flags of the fields to change, e.g. --every 5m or --queue reports');
  }
  return changes;
}
