import { ValidationError } from '../errors';
import { INSTANT_FORMS, parseInstant } from '../time/parse-instant';
import { TimeZone } from '../time/time-zone';
import { compileTrigger } from './compile-trigger';
import type { CompiledTrigger } from './compiled-trigger';
import type { TriggerSpec } from './trigger-spec';

/** The most fire times one call returns. */
export const MAX_FIRE_TIMES = 100_000;

/** Options of `nextFireTimes`. */
export interface NextFireTimesOptions {
  /** Fire times are strictly after this instant; text without an offset is read in the trigger's zone. @defaultValue now */
  from?: Date | string | number;
  /** How many fire times to return (fewer when the trigger ends). @defaultValue 1 */
  count?: number;
  /** Seeds the trigger's jitter, usually a schedule id. @defaultValue `""` */
  seed?: string;
}

const CACHE_SIZE = 512;
const cache = new Map<string, CompiledTrigger>();

/**
 * Compiles a trigger, reusing the result for a trigger seen recently (by its JSON text).
 *
 * @throws InvalidTriggerError
 */
export function compileTriggerCached(trigger: TriggerSpec | string): CompiledTrigger {
  const key = typeof trigger === 'string' ? trigger : JSON.stringify(trigger);
  let compiled = cache.get(key);
  if (compiled) {
    cache.delete(key);
  } else {
    compiled = compileTrigger(trigger);
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  }
  cache.set(key, compiled);
  return compiled;
}

/** Reads `from`; text without an offset is a local time in the trigger's zone, like `start` and `end`. */
function parseFrom(from: Date | string | number | undefined, timezone: string | undefined): number {
  if (from === undefined) return Date.now();
  if (typeof from === 'string') {
    try {
      return parseInstant(from, TimeZone.of(timezone ?? 'UTC'), 'from');
    } catch (error) {
      throw new ValidationError('from', `expected ${INSTANT_FORMS}, a Date or epoch milliseconds, got ${JSON.stringify(from)}`, { cause: error });
    }
  }
  const ms = from instanceof Date ? from.getTime() : from;
  if (!Number.isFinite(ms)) throw new ValidationError('from', `expected a valid date or epoch milliseconds, got ${String(from)}`);
  return ms;
}

/**
 * The next `count` fire times of a trigger, strictly after `from`, in order. Jittered triggers
 * return jittered times; the jitter of each time is fixed by `seed` and its nominal time.
 *
 * @example
 * nextFireTimes({ cron: '30 2 * * *', timezone: 'America/New_York' }, { from: '2026-03-07T12:00:00Z', count: 2 })
 * // → [2026-03-08T07:00:00.000Z, 2026-03-09T06:30:00.000Z]
 *
 * @param trigger - a trigger in the JSON form, or JSON text of one
 * @throws InvalidTriggerError for a bad trigger, ValidationError for bad options
 */
export function nextFireTimes(trigger: TriggerSpec | string, options: NextFireTimesOptions = {}): Date[] {
  const { count = 1, seed = '' } = options;
  if (!Number.isInteger(count) || count < 1 || count > MAX_FIRE_TIMES) {
    throw new ValidationError('count', `expected a whole number from 1 to ${MAX_FIRE_TIMES}, got ${JSON.stringify(count)}`);
  }
  const compiled = compileTriggerCached(trigger);
  return compiled.take(parseFrom(options.from, compiled.spec.timezone), count, { seed }).map((fire) => new Date(fire.fireAtMs));
}
