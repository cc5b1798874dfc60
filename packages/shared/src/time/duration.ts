import { DAY_MS, HOUR_MS, MINUTE_MS, SECOND_MS } from './civil';

const UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: SECOND_MS,
  m: MINUTE_MS,
  h: HOUR_MS,
  d: DAY_MS,
  w: 7 * DAY_MS,
};

/** Units largest first, each at most once: `1h30m`, not `30m1h`. */
const DURATION_TEXT = /^(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;
const UNITS_IN_ORDER = ['w', 'd', 'h', 'm', 's', 'ms'] as const;

/** The forms a duration may take, for error messages. */
export const DURATION_FORMS = 'a duration such as "90s", "15m", "1h30m", "500ms", "2d" or a number of milliseconds';

/**
 * Parses a duration such as `"90s"`, `"15m"`, `"1h30m"`, `"2d"`, `"1w"` or `"250ms"` into
 * milliseconds. Units are `ms`, `s`, `m`, `h`, `d` (24 h of elapsed time) and `w`; parts are
 * written largest first, each once, without spaces. A number is taken as milliseconds.
 *
 * @returns the duration in milliseconds, or `undefined` when the text is not a duration.
 */
export function parseDuration(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const match = DURATION_TEXT.exec(text);
  if (!match || text === '') return undefined;
  let total = 0;
  UNITS_IN_ORDER.forEach((unit, index) => {
    total += Number(match[index + 1] ?? 0) * (UNIT_MS[unit] ?? Number.NaN);
  });
  return Number.isSafeInteger(total) ? total : undefined;
}

/** Formats milliseconds as the shortest duration text `parseDuration` reads back, e.g. `"1h30m"`. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  const parts: string[] = [];
  let rest = ms;
  for (const unit of UNITS_IN_ORDER) {
    const size = UNIT_MS[unit] ?? 1;
    const amount = Math.floor(rest / size);
    if (amount > 0) {
      parts.push(`${amount}${unit}`);
      rest -= amount * size;
    }
  }
  return parts.join('');
}

/**
 * Parses a duration field of user input into whole milliseconds of at least `minimum`.
 *
 * @throws an error of `ErrorClass` naming `field`
 */
export function parseDurationField(
  value: string | number,
  field: string,
  minimum: number,
  ErrorClass: new (field: string, problem: string) => Error,
): number {
  const ms = parseDuration(value);
  if (ms === undefined || !Number.isInteger(ms) || ms < minimum) {
    const qualifier = minimum > 0 ? 'a positive' : 'a non-negative';
    throw new ErrorClass(field, `expected ${qualifier} duration (${DURATION_FORMS}), got ${JSON.stringify(value)}`);
  }
  return ms;
}
