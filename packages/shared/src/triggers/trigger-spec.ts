import { z } from 'zod';

/** A duration: milliseconds, or text such as `"90s"`, `"15m"`, `"1h30m"`. */
export type DurationInput = string | number;

/** Fields every trigger may carry. */
export interface TriggerOptions {
  /** No fire time before this ISO-8601 instant (or local date-time in `timezone`). */
  start?: string;
  /** No fire time after this instant; inclusive. */
  end?: string;
  /** IANA zone for wall-clock fields and local date-times. @defaultValue `"UTC"` */
  timezone?: string;
  /** Delay each fire time by a deterministic amount below this duration (outermost trigger only). */
  jitter?: DurationInput;
}

/** `{"cron": "0 9 * * MON-FRI"}`: 5 fields, or 6 with leading seconds, or a macro. */
export interface CronTriggerSpec extends TriggerOptions {
  cron: string;
}

/** `{"every": "15m"}`: elapsed-time interval, anchored at `start` (or the Unix epoch). */
export interface IntervalTriggerSpec extends TriggerOptions {
  every: DurationInput;
}

/** `{"at": "2027-01-01T09:00:00Z"}`: once. */
export interface DateTriggerSpec extends TriggerOptions {
  at: string;
}

/** The cycle of a calendar trigger: exactly one of the units, and a time of day. */
export interface CalendarSpec {
  years?: number;
  months?: number;
  weeks?: number;
  days?: number;
  /** Local time of day, `HH:MM` or `HH:MM:SS`. @defaultValue `"00:00"` */
  time?: string;
}

/** `{"calendar": {"months": 1, "time": "09:30"}}`: every N units at a wall-clock time. */
export interface CalendarTriggerSpec extends TriggerOptions {
  calendar: CalendarSpec;
}

/** `{"and": [...]}`: the instants all members agree on. */
export interface AndTriggerSpec extends TriggerOptions {
  and: TriggerSpec[];
}

/** `{"or": [...]}`: the instants of any member, each once. */
export interface OrTriggerSpec extends TriggerOptions {
  or: TriggerSpec[];
}

/** A trigger in Sundial's one JSON form, shared by the API, the CLI, schedule files and the library. */
export type TriggerSpec =
  | CronTriggerSpec
  | IntervalTriggerSpec
  | DateTriggerSpec
  | CalendarTriggerSpec
  | AndTriggerSpec
  | OrTriggerSpec;

/** The key that says what kind a trigger is; a trigger has exactly one. */
export const TRIGGER_KINDS = ['cron', 'every', 'at', 'calendar', 'and', 'or'] as const;

/** One of `TRIGGER_KINDS`. */
export type TriggerKind = (typeof TRIGGER_KINDS)[number];

const duration = z.union([z.string(), z.number()], { error: 'expected a duration such as "15m" or a number of milliseconds' });
const dateTime = z.string({ error: 'expected an ISO-8601 date-time string' });

const options = {
  start: dateTime.optional(),
  end: dateTime.optional(),
  timezone: z.string({ error: 'expected an IANA time zone name such as "Europe/Berlin"' }).optional(),
  jitter: duration.optional(),
};

const count = (unit: string) =>
  z.number({ error: `expected a whole number of ${unit} of at least 1` }).int({ error: `expected a whole number of ${unit} of at least 1` }).min(1, {
    error: `expected a whole number of ${unit} of at least 1`,
  });

const members = z.array(z.unknown(), { error: 'expected an array of triggers' }).min(1, { error: 'expected at least one trigger' });

/** The shape of each kind of trigger; members of `and`/`or` are checked recursively elsewhere. */
export const TRIGGER_SHAPES = {
  cron: z.strictObject({ cron: z.string({ error: 'expected a cron expression string such as "0 9 * * MON-FRI"' }), ...options }),
  every: z.strictObject({ every: duration, ...options }),
  at: z.strictObject({ at: dateTime, ...options }),
  calendar: z.strictObject({
    calendar: z.strictObject(
      {
        years: count('years').optional(),
        months: count('months').optional(),
        weeks: count('weeks').optional(),
        days: count('days').optional(),
        time: z.string({ error: 'expected a time of day "HH:MM" or "HH:MM:SS"' }).optional(),
      },
      { error: 'expected an object such as {"months": 1, "time": "09:30"}' },
    ),
    ...options,
  }),
  and: z.strictObject({ and: members, ...options }),
  or: z.strictObject({ or: members, ...options }),
} satisfies Record<TriggerKind, z.ZodType>;

/** What one of `TRIGGER_SHAPES` yields: a trigger whose members are not yet checked. */
export type TriggerShape = z.output<(typeof TRIGGER_SHAPES)[TriggerKind]>;
