import { DURATION_FORMS, ValidationError, formatDuration, parseDuration, parseInstant, type TimeZone } from '@sundial/shared';

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

/**
 * Reads a whole number, leaving its range for the schedule validation to check (and name).
 *
 * @throws ValidationError naming `flag` when the value is not a whole number
 */
export function parseWholeNumberFlag(value: string, flag: string): number {
  const number = /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(number)) throw new ValidationError(flag, `expected a whole number, got ${JSON.stringify(value)}`);
  return number;
}

/**
 * Checks a flag that takes one of a few words, such as `--coalesce latest`.
 *
 * @throws ValidationError naming `flag` and the choices
 */
export function parseChoiceFlag<T extends string>(value: string, flag: string, choices: readonly T[]): T {
  const choice = choices.find((candidate) => candidate === value);
  if (choice === undefined) {
    throw new ValidationError(flag, `expected ${choices.map((candidate) => `"${candidate}"`).join(', ')}, got ${JSON.stringify(value)}`);
  }
  return choice;
}

/**
 * Parses a duration flag such as `--lease 5s` into milliseconds.
 *
 * @throws ValidationError naming `flag` when the value is not a duration of at least `minMs`
 */
export function parseDurationFlag(value: string, flag: string, minMs: number): number {
  const ms = parseDuration(value);
  if (ms === undefined || !Number.isSafeInteger(ms) || ms < minMs) {
    throw new ValidationError(flag, `expected ${DURATION_FORMS}, at least ${formatDuration(minMs)}; got ${JSON.stringify(value)}`);
  }
  return ms;
}

/**
 * Parses a JSON flag such as `--data`.
 *
 * @throws ValidationError naming `flag` when the text is not JSON
 */
export function parseJsonFlag(value: string, flag: string): unknown {
  try {
    return JSON.parse(value) as unknown;
  } catch (error) {
    throw new ValidationError(flag, `malformed JSON (${(error as Error).message})`, { cause: error });
  }
}
