import { InvalidTriggerError } from '../errors';
import { DAY_MS, daysFromCivil } from '../time/civil';
import { parseDurationField } from '../time/duration';
import { parseInstant } from '../time/parse-instant';
import { TimeZone } from '../time/time-zone';
import { joinPath, parseWithSchema } from '../validation';
import { CalendarRule, type CalendarUnit } from './calendar-rule';
import { CompiledTrigger } from './compiled-trigger';
import { CronRule, GREGORIAN_CYCLE_DAYS } from './cron/cron-rule';
import { parseCron } from './cron/parse-cron';
import {
  AllOfTrigger,
  AnyOfTrigger,
  BoundedTrigger,
  DateTrigger,
  IntervalTrigger,
  ZonedRuleTrigger,
  type NominalTrigger,
} from './nominal-trigger';
import type { z } from 'zod';
import { TRIGGER_KINDS, TRIGGER_SHAPES, type CalendarSpec, type TriggerKind, type TriggerShape, type TriggerSpec } from './trigger-spec';

const TRIGGER_EXAMPLE = 'an object with exactly one of "cron", "every", "at", "calendar", "and", "or", such as {"cron": "0 9 * * MON-FRI"}';
const TIME_OF_DAY = /^(\d{2}):(\d{2})(?::(\d{2}))?$/;
const CALENDAR_UNITS: readonly CalendarUnit[] = ['years', 'months', 'weeks', 'days'];

interface Scope {
  readonly path: string;
  readonly zone: TimeZone;
  readonly root: boolean;
}

function parseTimeOfDay(text: string, field: string): number {
  const match = TIME_OF_DAY.exec(text);
  const [hour, minute, second] = [Number(match?.[1]), Number(match?.[2]), Number(match?.[3] ?? 0)];
  if (!match || hour > 23 || minute > 59 || second > 59) {
    throw new InvalidTriggerError(field, `expected a time of day "HH:MM" or "HH:MM:SS" (00:00 to 23:59:59), got "${text}"`);
  }
  return hour * 3600 + minute * 60 + second;
}

function compileCron(expression: string, scope: Scope): NominalTrigger {
  const rule = new CronRule(parseCron(expression, joinPath(scope.path, 'cron')));
  // The calendar repeats every 400 years, so an expression that matches no day in one cycle never will.
  const cycleStart = daysFromCivil(2000, 1, 1) * DAY_MS;
  if (rule.nextWall(cycleStart, cycleStart + GREGORIAN_CYCLE_DAYS * DAY_MS) === undefined) {
    throw new InvalidTriggerError(joinPath(scope.path, 'cron'), `"${expression}" never matches a date (check the day-of-month and month fields)`);
  }
  return new ZonedRuleTrigger(rule, scope.zone);
}

function compileCalendar(calendar: CalendarSpec, startMs: number | undefined, scope: Scope): NominalTrigger {
  const field = joinPath(scope.path, 'calendar');
  const units = CALENDAR_UNITS.filter((unit) => calendar[unit] !== undefined);
  const unit = units[0];
  if (units.length !== 1 || unit === undefined) {
    throw new InvalidTriggerError(field, `expected exactly one of "years", "months", "weeks", "days", got ${units.length ? units.join(', ') : 'none'}`);
  }
  const secondOfDay = calendar.time === undefined ? 0 : parseTimeOfDay(calendar.time, joinPath(field, 'time'));
  const anchorDays = startMs === undefined ? 0 : Math.floor(scope.zone.wallTimeAt(startMs) / DAY_MS);
  const rule = new CalendarRule({ unit, step: calendar[unit] ?? 1, anchorDays, secondOfDay });
  return new ZonedRuleTrigger(rule, scope.zone);
}

function kindOf(input: object, path: string): TriggerKind {
  const kinds = TRIGGER_KINDS.filter((kind) => kind in input);
  const kind = kinds[0];
  if (kinds.length !== 1 || kind === undefined) {
    const found = kinds.length === 0 ? `none (fields: ${Object.keys(input).join(', ') || 'none'})` : kinds.join(' and ');
    throw new InvalidTriggerError(path || 'trigger', `expected ${TRIGGER_EXAMPLE}; found ${found}`);
  }
  return kind;
}

function compileNode(input: unknown, scope: Scope): { spec: TriggerSpec; trigger: NominalTrigger; jitterMs: number } {
  const { path } = scope;
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new InvalidTriggerError(path || 'trigger', `expected ${TRIGGER_EXAMPLE}, got ${Array.isArray(input) ? 'an array' : JSON.stringify(input)}`);
  }
  const kind = kindOf(input, path);
  const spec = parseWithSchema(TRIGGER_SHAPES[kind] as z.ZodType<TriggerShape>, input, path, InvalidTriggerError);

  const zone = spec.timezone === undefined ? scope.zone : TimeZone.of(spec.timezone, joinPath(path, 'timezone'));
  const inner: Scope = { path, zone, root: false };
  const startMs = spec.start === undefined ? undefined : parseInstant(spec.start, zone, joinPath(path, 'start'));
  const endMs = spec.end === undefined ? undefined : parseInstant(spec.end, zone, joinPath(path, 'end'));
  if (startMs !== undefined && endMs !== undefined && endMs < startMs) {
    throw new InvalidTriggerError(joinPath(path, 'end'), `end (${spec.end}) is before start (${spec.start})`);
  }
  let jitterMs = 0;
  if (spec.jitter !== undefined) {
    if (!scope.root) {
      throw new InvalidTriggerError(joinPath(path, 'jitter'), 'jitter applies to the whole trigger; set it on the outermost trigger');
    }
    jitterMs = parseDurationField(spec.jitter, joinPath(path, 'jitter'), 0, InvalidTriggerError);
  }

  let trigger: NominalTrigger;
  if ('cron' in spec) trigger = compileCron(spec.cron, inner);
  else if ('every' in spec) trigger = new IntervalTrigger(startMs ?? 0, parseDurationField(spec.every, joinPath(path, 'every'), 1, InvalidTriggerError));
  else if ('at' in spec) trigger = new DateTrigger(parseInstant(spec.at, zone, joinPath(path, 'at')));
  else if ('calendar' in spec) trigger = compileCalendar(spec.calendar, startMs, inner);
  else {
    const list = 'and' in spec ? spec.and : spec.or;
    const key = 'and' in spec ? 'and' : 'or';
    const compiled = list.map((member, index) => compileNode(member, { path: `${joinPath(path, key)}[${index}]`, zone, root: false }));
    const triggers = compiled.map((member) => member.trigger);
    trigger = key === 'and' ? new AllOfTrigger(triggers) : new AnyOfTrigger(triggers);
    (spec as { and?: TriggerSpec[]; or?: TriggerSpec[] })[key] = compiled.map((member) => member.spec);
  }
  if (startMs !== undefined || endMs !== undefined) trigger = new BoundedTrigger(trigger, startMs, endMs);
  return { spec: spec as TriggerSpec, trigger, jitterMs };
}

/**
 * Validates a trigger in the JSON form (an object, or JSON text) and compiles it for fast
 * evaluation.
 *
 * @throws InvalidTriggerError naming the offending field, e.g. `cron`, `timezone`, `or[1].every`
 */
export function compileTrigger(input: unknown): CompiledTrigger {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch (error) {
      throw new InvalidTriggerError('trigger', `malformed JSON (${(error as Error).message}); expected ${TRIGGER_EXAMPLE}`, { cause: error });
    }
  }
  const { spec, trigger, jitterMs } = compileNode(value, { path: '', zone: TimeZone.UTC, root: true });
  return new CompiledTrigger(spec, trigger, jitterMs);
}

/** Validates a trigger and returns it in its JSON form. @throws InvalidTriggerError */
export function validateTrigger(input: unknown): TriggerSpec {
  return compileTrigger(input).spec;
}
