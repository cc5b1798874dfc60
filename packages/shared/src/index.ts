/**
 * `@sundial/shared`: Sundial's domain model and trigger engine.
 *
 * @packageDocumentation
 */
export { SundialError, ValidationError, InvalidTriggerError, TriggerIterationLimitError } from './errors';
export { parseDuration, formatDuration, DURATION_FORMS } from './time/duration';
export { TimeZone, type OffsetSegment } from './time/time-zone';
export { parseInstant } from './time/parse-instant';
export type {
  TriggerSpec,
  TriggerKind,
  TriggerOptions,
  CronTriggerSpec,
  IntervalTriggerSpec,
  DateTriggerSpec,
  CalendarTriggerSpec,
  CalendarSpec,
  AndTriggerSpec,
  OrTriggerSpec,
  DurationInput,
} from './triggers/trigger-spec';
export { TRIGGER_KINDS } from './triggers/trigger-spec';
export { CRON_MACROS } from './triggers/cron/parse-cron';
export { compileTrigger, validateTrigger } from './triggers/compile-trigger';
export { CompiledTrigger, type FireTime, type TakeOptions } from './triggers/compiled-trigger';
export { nextFireTimes, MAX_FIRE_TIMES, type NextFireTimesOptions } from './triggers/next-fire-times';
