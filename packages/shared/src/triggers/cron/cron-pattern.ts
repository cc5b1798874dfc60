/**
 * A parsed cron expression: the set of values each field allows, plus the special day forms.
 * Arrays are indexed by the field's value; a `1` marks an allowed value.
 */
export interface CronPattern {
  /** The expression as written, macros expanded, fields separated by single spaces. */
  readonly source: string;
  readonly seconds: Uint8Array;
  readonly minutes: Uint8Array;
  readonly hours: Uint8Array;
  /** Indexed 1-12. */
  readonly months: Uint8Array;
  /** Indexed 1-31. */
  readonly daysOfMonth: Uint8Array;
  /** `L` in the day-of-month field: the last day of the month. */
  readonly lastDayOfMonth: boolean;
  /** `15W`: the weekday (Monday to Friday) nearest the 15th, within the month; `LW`: the last weekday. */
  readonly nearestWeekday: number | 'last' | undefined;
  /** Indexed 0-6 (Sunday is 0). */
  readonly weekdays: Uint8Array;
  /** `5L`: the last Friday of the month. Indexed 0-6. */
  readonly lastWeekdays: Uint8Array;
  /** `FRI#2`: the nth occurrence (1-5) in the month of the weekdays in `weekdays`; 0 when unused. */
  readonly nthWeekday: number;
  /** The day-of-month field starts with `*` or is `?`: it does not restrict days (Vixie cron). */
  readonly dayOfMonthStar: boolean;
  /** The day-of-week field starts with `*` or is `?`. */
  readonly dayOfWeekStar: boolean;
  /** Neither the minute nor the hour field starts with `*` (ISC cron's daylight-saving rule). */
  readonly fixedTime: boolean;
}
