import { InvalidTriggerError } from '../errors';
import { daysInMonth, wallMs } from './civil';
import type { TimeZone } from './time-zone';
import { instantOfWallTime } from '../triggers/wall-clock-rule';

const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** The forms `parseInstant` reads, for error messages. */
export const INSTANT_FORMS = 'an ISO-8601 date-time such as "2027-01-01T09:00:00Z", "2027-01-01T10:00:00+01:00" or, in the trigger\'s zone, "2027-01-01T09:00"';

function offsetMs(designator: string): number {
  if (designator.toUpperCase() === 'Z') return 0;
  const sign = designator.startsWith('-') ? -1 : 1;
  const digits = designator.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2) || '0');
  return sign * (hours * 60 + minutes) * 60_000;
}

/**
 * Parses an ISO-8601 date or date-time. With an offset (`Z`, `+01:00`) it is that instant;
 * without one it is a local time in `zone`, resolved like a fixed-time trigger (first occurrence
 * when repeated, first instant after a daylight-saving gap).
 *
 * @returns epoch milliseconds
 * @throws InvalidTriggerError naming `field`
 */
export function parseInstant(text: string, zone: TimeZone, field: string): number {
  const match = ISO_DATE_TIME.exec(text.trim());
  const invalid = () => new InvalidTriggerError(field, `invalid date-time "${text}"; expected ${INSTANT_FORMS}`);
  if (!match) throw invalid();
  const [, y, mo, d, h = '0', mi = '0', s = '0', fraction = '', designator] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) {
    throw invalid();
  }
  const wall = wallMs(year, month, day, hour * 3600 + minute * 60 + second) + Number(fraction.padEnd(3, '0').slice(0, 3));
  return designator === undefined ? instantOfWallTime(zone, wall) : wall - offsetMs(designator);
}
