import { z } from 'zod';
import { InvalidTriggerError, ValidationError } from '../errors';
import { DURATION_FORMS, parseDurationField } from '../time/duration';
import { compileTrigger } from '../triggers/compile-trigger';
import type { CompiledTrigger } from '../triggers/compiled-trigger';
import type { TriggerSpec } from '../triggers/trigger-spec';
import { joinPath, parseWithSchema } from '../validation';

/** What to do with several fire times that are due at once (after downtime or a pause). */
export type CoalescePolicy = 'latest' | 'earliest' | 'all';

/** What to do with a fire time while the schedule already has `maxInstances` runs in flight. */
export type OverlapPolicy = 'skip' | 'allow' | 'buffer-one' | 'cancel-previous';

/** Retry settings a schedule may impose on its runs, over the task's own. */
export interface RetryOverride {
  /** Attempts in total, the first included. */
  attempts: number;
  /** Delay between attempts: the same each time, or doubling. @defaultValue `"exponential"` */
  backoff?: 'fixed' | 'exponential';
  /** The first delay in ms. */
  delay?: number;
}

/** The definition of a schedule: what to run, when, and under which policies. */
export interface ScheduleSpec {
  /** Unique within the namespace: letters, digits and `._-`, starting with a letter or digit. */
  id: string;
  /** The name of the task a worker runs. */
  task: string;
  /** When it fires, in the trigger JSON form. */
  trigger: TriggerSpec;
  /** JSON handed to every run. @defaultValue `{}` */
  data: unknown;
  /** The BullMQ queue its runs go to. @defaultValue `"default"` */
  queue: string;
  /** How late (ms) a fire time may still be enqueued; later ones are recorded as missed. `null`: no limit. @defaultValue `null` */
  misfireGrace: number | null;
  /** Several due fire times at once: run the latest, the earliest, or all of them. @defaultValue `"latest"` */
  coalesce: CoalescePolicy;
  /** With `coalesce: "all"`, the most fire times enqueued at once; older ones are recorded as skipped. @defaultValue `100` */
  catchUpLimit: number;
  /** What a fire time does when `maxInstances` runs are in flight. @defaultValue `"skip"` */
  overlap: OverlapPolicy;
  /** How many runs may be in flight (enqueued or running) at once. @defaultValue `1` */
  maxInstances: number;
  /** BullMQ priority, 0 (none) or 1 (highest) to 2,097,152. @defaultValue `0` */
  priority: number;
  /** Retry settings for its runs, over the task's. */
  retry?: RetryOverride;
  /** Time limit (ms) of each attempt, over the task's. */
  timeout?: number;
  /** Free-form key/value labels, for filtering. @defaultValue `{}` */
  labels: Record<string, string>;
}

/** Input for a schedule: the spec with optional policies (defaults apply) and durations as text or ms. */
export type ScheduleInput = Pick<ScheduleSpec, 'id' | 'task'> & {
  trigger: TriggerSpec | unknown;
  data?: unknown;
  queue?: string;
  misfireGrace?: string | number | null;
  coalesce?: CoalescePolicy;
  catchUpLimit?: number;
  overlap?: OverlapPolicy;
  maxInstances?: number;
  priority?: number;
  retry?: { attempts: number; backoff?: 'fixed' | 'exponential'; delay?: string | number };
  timeout?: string | number;
  labels?: Record<string, string>;
  /** Create it paused. @defaultValue `false` */
  paused?: boolean;
};

/** The policy defaults, in one place. */
export const SCHEDULE_DEFAULTS = {
  data: {},
  queue: 'default',
  misfireGrace: null,
  coalesce: 'latest',
  catchUpLimit: 100,
  overlap: 'skip',
  maxInstances: 1,
  priority: 0,
  labels: {},
} as const satisfies Partial<ScheduleSpec>;

/** The largest `data` accepted by default: 64 KiB of JSON. */
export const DEFAULT_MAX_DATA_BYTES = 64 * 1024;

/** Run ids are `<scheduleId>@...` and BullMQ job ids may not contain `:`, so neither may schedule ids. */
const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;
const QUEUE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const LABEL_KEY = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,62}$/;
const durationInput = z.union([z.string(), z.number()], { error: `expected ${DURATION_FORMS}` });

/**
 * The zod schema of a schedule input's shape (types, ranges, unknown fields); `validateSchedule`
 * checks the rest (the trigger, durations, label keys, data size) and applies the defaults.
 */
export const scheduleInputShape = z.strictObject({
  id: z.string({ error: 'expected a schedule id' }).regex(ID, { error: 'expected 1-200 letters, digits or . _ - starting with a letter or digit' }),
  task: z.string({ error: 'expected a task name' }).min(1, { error: 'expected a task name' }).max(200, { error: 'expected at most 200 characters' }),
  trigger: z.unknown(),
  data: z.unknown().optional(),
  queue: z.string({ error: 'expected a queue name' }).regex(QUEUE, { error: 'expected 1-100 letters, digits or . _ - (no ":")' }).optional(),
  misfireGrace: z.union([durationInput, z.null(), z.literal('none')]).optional(),
  coalesce: z.enum(['latest', 'earliest', 'all'], { error: 'expected "latest", "earliest" or "all"' }).optional(),
  catchUpLimit: z.number({ error: 'expected a whole number from 1 to 10000' }).int({ error: 'expected a whole number from 1 to 10000' }).min(1, { error: 'expected a whole number from 1 to 10000' }).max(10_000, { error: 'expected a whole number from 1 to 10000' }).optional(),
  overlap: z.enum(['skip', 'allow', 'buffer-one', 'cancel-previous'], { error: 'expected "skip", "allow", "buffer-one" or "cancel-previous"' }).optional(),
  maxInstances: z.number({ error: 'expected a whole number from 1 to 1000' }).int({ error: 'expected a whole number from 1 to 1000' }).min(1, { error: 'expected a whole number from 1 to 1000' }).max(1_000, { error: 'expected a whole number from 1 to 1000' }).optional(),
  priority: z.number({ error: 'expected a whole number from 0 to 2097152' }).int({ error: 'expected a whole number from 0 to 2097152' }).min(0, { error: 'expected a whole number from 0 to 2097152' }).max(2_097_152, { error: 'expected a whole number from 0 to 2097152' }).optional(),
  retry: z
    .strictObject(
      {
        attempts: z.number({ error: 'expected a whole number from 1 to 100' }).int({ error: 'expected a whole number from 1 to 100' }).min(1, { error: 'expected a whole number from 1 to 100' }).max(100, { error: 'expected a whole number from 1 to 100' }),
        backoff: z.enum(['fixed', 'exponential'], { error: 'expected "fixed" or "exponential"' }).optional(),
        delay: durationInput.optional(),
      },
      { error: 'expected an object such as {"attempts": 3, "backoff": "exponential", "delay": "1s"}' },
    )
    .optional(),
  timeout: durationInput.optional(),
  labels: z.record(z.string(), z.string({ error: 'expected a string value' }), { error: 'expected an object of string values' }).optional(),
  paused: z.boolean({ error: 'expected true or false' }).optional(),
});

/** A validated schedule input: the spec with defaults applied, its compiled trigger, and whether to create it paused. */
export interface ValidatedSchedule {
  readonly spec: ScheduleSpec;
  readonly trigger: CompiledTrigger;
  readonly paused: boolean;
}

/**
 * Validates a schedule input and applies the defaults. Every error names the field, e.g.
 * `trigger.cron`, `misfireGrace`, `labels.team`.
 *
 * @param path - prefix for field names, e.g. `schedules[3]` in a schedule file
 * @throws ValidationError (InvalidTriggerError for the trigger)
 */
export function validateSchedule(input: unknown, options: { maxDataBytes?: number; path?: string } = {}): ValidatedSchedule {
  const { maxDataBytes = DEFAULT_MAX_DATA_BYTES, path = '' } = options;
  const raw = parseWithSchema(scheduleInputShape, input, path, ValidationError);
  let trigger: CompiledTrigger;
  try {
    trigger = compileTrigger(raw.trigger);
  } catch (error) {
    if (error instanceof InvalidTriggerError) {
      const field = error.field === 'trigger' || error.field === '' ? joinPath(path, 'trigger') : joinPath(joinPath(path, 'trigger'), error.field);
      throw new InvalidTriggerError(field, error.problem, { cause: error });
    }
    throw error;
  }
  const data = raw.data === undefined ? SCHEDULE_DEFAULTS.data : raw.data;
  const dataBytes = Buffer.byteLength(JSON.stringify(data) ?? 'null');
  if (dataBytes > maxDataBytes) {
    throw new ValidationError(joinPath(path, 'data'), `is ${dataBytes} bytes of JSON; the limit is ${maxDataBytes} bytes`);
  }
  for (const key of Object.keys(raw.labels ?? {})) {
    if (!LABEL_KEY.test(key)) throw new ValidationError(joinPath(joinPath(path, 'labels'), key), 'expected a label key of letters, digits or . _ / - (at most 63)');
  }
  const grace = raw.misfireGrace;
  const spec: ScheduleSpec = {
    id: raw.id,
    task: raw.task,
    trigger: trigger.spec,
    data,
    queue: raw.queue ?? SCHEDULE_DEFAULTS.queue,
    misfireGrace: grace === undefined || grace === null || grace === 'none' ? null : parseDurationField(grace, joinPath(path, 'misfireGrace'), 0, ValidationError),
    coalesce: raw.coalesce ?? SCHEDULE_DEFAULTS.coalesce,
    catchUpLimit: raw.catchUpLimit ?? SCHEDULE_DEFAULTS.catchUpLimit,
    overlap: raw.overlap ?? SCHEDULE_DEFAULTS.overlap,
    maxInstances: raw.maxInstances ?? SCHEDULE_DEFAULTS.maxInstances,
    priority: raw.priority ?? SCHEDULE_DEFAULTS.priority,
    labels: raw.labels ?? { ...SCHEDULE_DEFAULTS.labels },
  };
  if (raw.retry) {
    spec.retry = { attempts: raw.retry.attempts, backoff: raw.retry.backoff ?? 'exponential' };
    if (raw.retry.delay !== undefined) spec.retry.delay = parseDurationField(raw.retry.delay, joinPath(path, 'retry.delay'), 0, ValidationError);
  }
  if (raw.timeout !== undefined) spec.timeout = parseDurationField(raw.timeout, joinPath(path, 'timeout'), 1, ValidationError);
  return { spec, trigger, paused: raw.paused ?? false };
}
