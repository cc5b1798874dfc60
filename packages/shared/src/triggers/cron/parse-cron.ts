import { CronExpressionParser } from 'cron-parser';
import { InvalidTriggerError } from '../../errors';
import type { CronPattern } from './cron-pattern';

/** The macros Sundial accepts, and the five-field expressions they stand for. */
export const CRON_MACROS: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

interface FieldSpec {
  readonly name: string;
  readonly expected: string;
  readonly allowed: RegExp;
}

const FIELDS: readonly FieldSpec[] = [
  { name: 'second', expected: '0-59', allowed: /^[\d*,/-]+$/ },
  { name: 'minute', expected: '0-59', allowed: /^[\d*,/-]+$/ },
  { name: 'hour', expected: '0-23', allowed: /^[\d*,/-]+$/ },
  { name: 'day-of-month', expected: '1-31, L, nW, LW or ?', allowed: /^[\dLW*?,/-]+$/i },
  { name: 'month', expected: '1-12 or JAN-DEC', allowed: /^[\dA-Z*,/-]+$/i },
  { name: 'day-of-week', expected: '0-7 or SUN-SAT (0 and 7 are Sunday), nL, n#k or ?', allowed: /^[\dA-Z*?,/#-]+$/i },
];

const SYNTAX = 'numbers, names, ranges a-b, steps */n or a-b/n, and lists a,b';
/** Cron-parser's hashed `H` values are not a cron feature Sundial supports: they would not be reproducible. */
const HASHED = /(?:^|[,/-])H(?:$|[,/(-])/i;
const NEAREST_WEEKDAY = /^(\d{1,2}|L)W$/i;
const NEUTRAL = ['0', '0', '0', '*', '*', '*'];

function fieldError(path: string, field: FieldSpec, text: string, cause?: unknown): InvalidTriggerError {
  return new InvalidTriggerError(
    path,
    `invalid ${field.name} field "${text}"; expected ${field.expected}, using ${SYNTAX}`,
    cause === undefined ? undefined : { cause },
  );
}

function bits(size: number, values: readonly (number | string)[], map: (value: number) => number = (v) => v): Uint8Array {
  const set = new Uint8Array(size);
  for (const value of values) if (typeof value === 'number') set[map(value)] = 1;
  return set;
}

/** Parses one field with cron-parser, with every other field neutral, so errors name the field. */
function parseField(path: string, index: number, text: string) {
  const field = FIELDS[index] as FieldSpec;
  if (!field.allowed.test(text) || HASHED.test(text)) throw fieldError(path, field, text);
  const probe = NEUTRAL.map((neutral, i) => (i === index ? text : neutral)).join(' ');
  try {
    return CronExpressionParser.parse(probe, { tz: 'UTC' }).fields;
  } catch (error) {
    throw fieldError(path, field, text, error);
  }
}

function parseNearestWeekday(path: string, text: string): number | 'last' {
  const match = NEAREST_WEEKDAY.exec(text);
  const day = match?.[1]?.toUpperCase();
  if (day === 'L') return 'last';
  const value = Number(day);
  if (!Number.isInteger(value) || value < 1 || value > 31) throw fieldError(path, FIELDS[3] as FieldSpec, text);
  return value;
}

/**
 * Parses a cron expression of 5 fields (minute hour day-of-month month day-of-week) or 6 (with
 * leading seconds), or a macro such as `@daily`.
 *
 * @param path - the field to name in errors, e.g. `cron` or `or[1].cron`
 * @throws InvalidTriggerError naming the field and which part of the expression is wrong
 */
export function parseCron(expression: string, path = 'cron'): CronPattern {
  const trimmed = expression.trim();
  let text = trimmed;
  if (trimmed.startsWith('@')) {
    const expanded = CRON_MACROS[trimmed.toLowerCase()];
    if (!expanded) {
      throw new InvalidTriggerError(path, `unknown macro "${trimmed}"; expected one of ${Object.keys(CRON_MACROS).join(', ')}`);
    }
    text = expanded;
  }
  const parts = text.split(/\s+/).filter((part) => part.length > 0);
  if (parts.length !== 5 && parts.length !== 6) {
    throw new InvalidTriggerError(
      path,
      `expected 5 fields (minute hour day-of-month month day-of-week) or 6 with leading seconds, got ${parts.length} in "${expression}"`,
    );
  }
  const fields = parts.length === 5 ? ['0', ...parts] : parts;
  const [secondText, minuteText, hourText, domText, monthText, dowText] = fields as [string, string, string, string, string, string];

  const nearestWeekday = NEAREST_WEEKDAY.test(domText) ? parseNearestWeekday(path, domText) : undefined;
  const second = parseField(path, 0, secondText).second;
  const minute = parseField(path, 1, minuteText).minute;
  const hour = parseField(path, 2, hourText).hour;
  const dayOfMonth = nearestWeekday === undefined ? parseField(path, 3, domText).dayOfMonth : undefined;
  const month = parseField(path, 4, monthText).month;
  const dayOfWeek = parseField(path, 5, dowText).dayOfWeek;

  const weekdayValues = dayOfWeek.values;
  const lastWeekdays = new Uint8Array(7);
  for (const value of weekdayValues) {
    if (typeof value === 'string' && value.endsWith('L')) lastWeekdays[Number(value.slice(0, -1)) % 7] = 1;
  }
  const starts = (field: string) => field.startsWith('*') || field === '?';
  return {
    source: fields.slice(parts.length === 5 ? 1 : 0).join(' '),
    seconds: bits(60, second.values),
    minutes: bits(60, minute.values),
    hours: bits(24, hour.values),
    months: bits(13, month.values),
    daysOfMonth: bits(32, dayOfMonth?.values ?? []),
    lastDayOfMonth: dayOfMonth?.values.includes('L') ?? false,
    nearestWeekday,
    weekdays: bits(7, weekdayValues, (value) => value % 7),
    lastWeekdays,
    nthWeekday: dayOfWeek.nthDay,
    dayOfMonthStar: starts(domText),
    dayOfWeekStar: starts(dowText),
    fixedTime: !starts(minuteText) && !starts(hourText),
  };
}
