import { SundialError } from '@sundial/shared';
import { CommanderError } from 'commander';

/** The exit statuses of `sundial-worker`, the same as `sundial`'s. */
export const ExitCode = {
  /** Stopped by SIGTERM or SIGINT after draining, or `--help`. */
  OK: 0,
  /** Something went wrong that is not the caller's mistake: a bug, an unreachable Redis, a second stop signal. */
  UNEXPECTED: 1,
  /** Bad flags, environment or task module. */
  INVALID_INPUT: 2,
} as const;

/** One of the values of {@link ExitCode}. */
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Error codes that are not the caller's mistake, though Sundial raises them. */
const UNEXPECTED_CODES = new Set(['REDIS_CONNECTION_FAILED']);

/** The exit status for an error: usage and validation errors are the caller's, anything else is unexpected. */
export function exitCodeFor(error: unknown): ExitCode {
  if (error instanceof CommanderError) return error.exitCode === 0 ? ExitCode.OK : ExitCode.INVALID_INPUT;
  if (error instanceof SundialError) return UNEXPECTED_CODES.has(error.code) ? ExitCode.UNEXPECTED : ExitCode.INVALID_INPUT;
  return ExitCode.UNEXPECTED;
}
