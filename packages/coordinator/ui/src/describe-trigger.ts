/**
 * Triggers in words for people: `{"every": "15m"}` → "every 15 minutes",
 * `{"cron": "0 9 * * MON-FRI"}` → "at 09:00 on Monday through Friday". Cron expressions in a form
 * it does not know how to say are shown as they are. Pure: no DOM, no clock.
 */

import type { TriggerSpec } from '@sundial/shared';

/** A trigger in Sundial's JSON form, as the API returns it. */
export type TriggerJson = Readonly<Record<string, unknown>>;

const DURATION_UNITS: readonly (readonly [string, number, string])[] = [
  ['w', 604_800_000, 'week'],
  ['d', 86_400_000, 'day'],
  ['h', 3_600_000, 'hour'],
  ['m', 60_000, 'minute'],
  ['s', 1_000, 'second'],
  ['ms', 1, 'millisecond'],
];

const DURATION_TEXT = /^(?:\d+(?:w|d|h|m|s|ms))+$/;

/** Milliseconds of a duration (a number of ms, or text such as "1h30m"); undefined when unreadable. */
export function durationMs(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  if (typeof value !== 'string' || !DURATION_TEXT.test(value)) return undefined;
  let total = 0;
  for (const [, amount, unit] of value.matchAll(/(\d+)(ms|w|d|h|m|s)/g)) {
    total += Number(amount) * (DURATION_UNITS.find(([symbol]) => symbol === unit)?.[1] ?? 0);
  }
  return total;
}

const plural = (count: number, unit: string) => `${count} ${unit}${count === 1 ? '' : 's'}`;

/** A duration in words: "15 minutes", "1 hour 30 minutes". */
export function durationInWords(ms: number): string {
  if (ms === 0) return '0 seconds';
  const parts: string[] = [];
  let rest = ms;
  for (const [, size, unit] of DURATION_UNITS) {
    const count = Math.floor(rest / size);
    if (count > 0) parts.push(plural(count, unit));
    rest -= count * size;
  }
  return parts.join(' ');
}

/** "every 15 minutes", "every hour" (a single unit reads without the 1). */
function everyInWords(value: unknown): string {
  const ms = durationMs(value);
  if (ms === undefined || ms === 0) return `every ${String(value)}`;
  const words = durationInWords(ms);
  return `every ${words.startsWith('1 ') && !words.includes(' ', 2) ? words.slice(2) : words}`;
}

// ---------------------------------------------------------------- cron

const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAY_ABBREVIATIONS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const MONTH_ABBREVIATIONS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

const MACROS: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

/** One element of a cron field's list: a value or an inclusive range. */
interface CronItem {
  readonly from: number;
  readonly to: number;
}

/** A parsed field: `*`, `*` with a step, or a list of values and ranges; undefined for forms this describer does not say. */
type CronField = { readonly kind: 'any' } | { readonly kind: 'step'; readonly step: number } | { readonly kind: 'list'; readonly items: readonly CronItem[] };

function valueOf(text: string, names: readonly string[] | undefined, offset: number): number | undefined {
  if (/^\d+$/.test(text)) return Number(text);
  const index = names?.indexOf(text.toUpperCase()) ?? -1;
  return index < 0 ? undefined : index + offset;
}

function parseField(text: string, names?: readonly string[], offset = 0): CronField | undefined {
  if (text === '*' || text === '?') return { kind: 'any' };
  const step = /^\*\/(\d+)$/.exec(text);
  if (step) return { kind: 'step', step: Number(step[1]) };
  const items: CronItem[] = [];
  for (const part of text.split(',')) {
    const [first, last, extra] = part.split('-');
    if (first === undefined || extra !== undefined) return undefined;
    const from = valueOf(first, names, offset);
    const to = last === undefined ? from : valueOf(last, names, offset);
    if (from === undefined || to === undefined) return undefined;
    items.push({ from, to });
  }
  return { kind: 'list', items };
}

/** "a", "a and b", "a, b and c". */
function joinWords(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1] as string}`;
}

function listInWords(items: readonly CronItem[], name: (value: number) => string): string {
  return joinWords(items.map(({ from, to }) => (from === to ? name(from) : `${name(from)} through ${name(to)}`)));
}

const twoDigits = (value: number) => String(value).padStart(2, '0');
const single = (field: CronField): number | undefined => (field.kind === 'list' && field.items.length === 1 && field.items[0]?.from === field.items[0]?.to ? field.items[0]?.from : undefined);
const singles = (field: CronField): number[] | undefined => (field.kind === 'list' && field.items.every(({ from, to }) => from === to) ? field.items.map(({ from }) => from) : undefined);

/** The time-of-day part: "every minute", "at 09:00", "at minute 5 of every hour". */
function timeInWords(minute: CronField, hour: CronField): string | undefined {
  if (hour.kind === 'any') {
    if (minute.kind === 'any') return 'every minute';
    if (minute.kind === 'step') return minute.step === 1 ? 'every minute' : `every ${minute.step} minutes`;
    const minutes = singles(minute);
    if (minutes === undefined) return `every minute from ${listInWords(minute.items, String)} past every hour`;
    return `at minute${minutes.length === 1 ? '' : 's'} ${joinWords(minutes.map(String))} of every hour`;
  }
  const minutes = minute.kind === 'list' ? singles(minute) : undefined;
  if (minutes === undefined) {
    if (minute.kind === 'step' && hour.kind === 'list') return `every ${minute.step} minutes during hour${hour.items.length === 1 && single(hour) !== undefined ? '' : 's'} ${listInWords(hour.items, twoDigits)}`;
    if (minute.kind === 'any' && hour.kind === 'list') return `every minute during hour${single(hour) !== undefined ? '' : 's'} ${listInWords(hour.items, twoDigits)}`;
    return undefined;
  }
  const minuteWords = `minute${minutes.length === 1 ? '' : 's'} ${joinWords(minutes.map(String))}`;
  if (hour.kind === 'step') return `at ${minuteWords} of every ${hour.step === 1 ? '' : `${hour.step} `}hour${hour.step === 1 ? '' : 's'}`;
  const hours = singles(hour);
  if (hours !== undefined && hours.length * minutes.length <= 4) {
    return `at ${joinWords(hours.flatMap((h) => minutes.map((m) => `${twoDigits(h)}:${twoDigits(m)}`)))}`;
  }
  return `at ${minuteWords} of hour${single(hour) === undefined ? 's' : ''} ${listInWords(hour.items, String)}`;
}

const dayName = (value: number) => DAY_NAMES[value % 7] ?? String(value);
const monthName = (value: number) => MONTH_NAMES[value - 1] ?? String(value);

/** The day part: "", "on Monday through Friday", "on day 1 of the month", "in January". */
function daysInWords(dayOfMonth: CronField, month: CronField, dayOfWeek: CronField): string | undefined {
  const parts: string[] = [];
  const days = dayOfMonth.kind === 'list' ? `on day${single(dayOfMonth) === undefined ? 's' : ''} ${listInWords(dayOfMonth.items, String)} of the month` : undefined;
  const weekdays = dayOfWeek.kind === 'list' ? `on ${listInWords(dayOfWeek.items, dayName)}` : undefined;
  if (dayOfMonth.kind === 'step' || dayOfWeek.kind === 'step') return undefined;
  // Like Vixie cron, a day of the month and a day of the week both given match either.
  if (days !== undefined && weekdays !== undefined) parts.push(`${days} or ${weekdays}`);
  else if (days !== undefined) parts.push(days);
  else if (weekdays !== undefined) parts.push(weekdays);
  if (month.kind === 'step') parts.push(`every ${month.step} months`);
  else if (month.kind === 'list') parts.push(`in ${listInWords(month.items, monthName)}`);
  return parts.join(' ');
}

/** A cron expression in words, or the expression itself when its form is not one this describer says. */
export function cronInWords(expression: string): string {
  const trimmed = expression.trim();
  const expanded = trimmed.startsWith('@') ? MACROS[trimmed.toLowerCase()] : trimmed;
  if (expanded === undefined) return trimmed;
  let fields = expanded.split(/\s+/);
  if (fields.length === 6) {
    const [second, ...rest] = fields as [string, ...string[]];
    const others = rest.every((field) => field === '*' || field === '?');
    if (second === '*' && others) return 'every second';
    const step = /^\*\/(\d+)$/.exec(second);
    if (step && others) return `every ${step[1]} seconds`;
    if (second !== '0') return trimmed;
    fields = rest;
  }
  if (fields.length !== 5) return trimmed;
  const [minuteText, hourText, domText, monthText, dowText] = fields as [string, string, string, string, string];
  const minute = parseField(minuteText);
  const hour = parseField(hourText);
  const dayOfMonth = parseField(domText);
  const month = parseField(monthText, MONTH_ABBREVIATIONS, 1);
  const dayOfWeek = parseField(dowText, DAY_ABBREVIATIONS, 0);
  if (!minute || !hour || !dayOfMonth || !month || !dayOfWeek) return trimmed;
  const time = timeInWords(minute, hour);
  const days = daysInWords(dayOfMonth, month, dayOfWeek);
  if (time === undefined || days === undefined) return trimmed;
  if (days === '' && time.startsWith('at ') && !time.includes('hour')) return `${time} every day`;
  return days === '' ? time : `${time} ${days}`;
}

// ---------------------------------------------------------------- calendar and the rest

function calendarInWords(calendar: unknown): string {
  const cycle = (calendar ?? {}) as Readonly<Record<string, unknown>>;
  const unit = (['years', 'months', 'weeks', 'days'] as const).find((key) => typeof cycle[key] === 'number');
  const time = typeof cycle.time === 'string' ? cycle.time : '00:00';
  if (unit === undefined) return `calendar ${JSON.stringify(calendar)}`;
  const count = cycle[unit] as number;
  const singular = unit.slice(0, -1);
  return `every ${count === 1 ? singular : `${count} ${unit}`} at ${time}`;
}

/** The trigger's own words, without its bounds. */
function kindInWords(trigger: TriggerJson): string {
  if (typeof trigger.cron === 'string') return cronInWords(trigger.cron);
  if ('every' in trigger) return everyInWords(trigger.every);
  if (typeof trigger.at === 'string') return `once at ${trigger.at}`;
  if ('calendar' in trigger) return calendarInWords(trigger.calendar);
  const members = (key: 'and' | 'or') => (Array.isArray(trigger[key]) ? (trigger[key] as TriggerJson[]).map(describeTrigger) : []);
  if ('and' in trigger) return `when all agree: ${members('and').join('; ')}`;
  if ('or' in trigger) return `any of: ${members('or').join('; ')}`;
  return JSON.stringify(trigger);
}

/**
 * A trigger in words, with its bounds and jitter: "every 15 minutes",
 * "at 09:00 on Monday through Friday", "at 02:00 every day, from 2027-01-01T00:00:00Z".
 * The time zone is not part of it (the dashboard shows it beside).
 */
export function describeTrigger(spec: TriggerSpec | TriggerJson): string {
  // Read loosely: the API may send trigger kinds or fields this page does not know yet.
  const trigger = spec as TriggerJson;
  const words = [kindInWords(trigger)];
  if (typeof trigger.start === 'string') words.push(`from ${trigger.start}`);
  if (typeof trigger.end === 'string') words.push(`until ${trigger.end}`);
  if (trigger.jitter !== undefined) {
    const jitter = durationMs(trigger.jitter);
    words.push(`jitter up to ${jitter === undefined ? String(trigger.jitter) : durationInWords(jitter)}`);
  }
  return words.join(', ');
}
