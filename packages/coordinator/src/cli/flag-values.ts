import { ValidationError, parseInstant, type TimeZone } from '@sundial/shared';

/**
 * Parses a whole-number flag such as `-n`.
 *
 * @throws ValidationError naming `flag` when the value is not a whole number from `min` to `max`
 */
export function parseIntegerFlag(value: string, flag: string, min: number, max: number): number {
  const number = /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(number) || number < min || number > max) {
    throw new ValidationError(flag, `expected a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`);
  }
  return number;
}

/**
 * Parses an instant flag such as `--from`: an ISO-8601 date or date-time, taken in `zone` when
 * it has no offset.
 *
 * @returns epoch milliseconds
 * @throws ValidationError naming `flag`
 */
export function parseInstantFlag(value: string, zone: TimeZone, flag: string): number {
  try {
    return parseInstant(value, zone, flag);
  } catch (error) {
    if (error instanceof ValidationError) throw new ValidationError(flag, error.problem, { cause: error });
    throw error;
  }
}
