import { SundialError } from '../errors';
import { isCommanderError } from './commander-error';

/** The exit statuses of Sundial's commands, stable for scripts to branch on. */
export const ExitCode = {
  /** The command did what was asked. */
  OK: 0,
  /** Something went wrong that is not the caller's mistake: a bug, an unreachable Redis. */
  UNEXPECTED: 1,
  /** The caller's input is invalid: a bad flag, trigger, zone or JSON text. Nothing was changed. */
  INVALID_INPUT: 2,
  /** The named thing (a schedule, a run) does not exist. */
  NOT_FOUND: 3,
  /** The request conflicts with the current state, e.g. a schedule id that is already taken. */
  CONFLICT: 4,
} as const;

/** One of the values of {@link ExitCode}. */
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Exit statuses of `SundialError` codes other than plain invalid input. */
const EXIT_CODE_BY_ERROR_CODE: Readonly<Record<string, ExitCode>> = {
  NOT_FOUND: ExitCode.NOT_FOUND,
  CONFLICT: ExitCode.CONFLICT,
  // Redis being down is not the caller's mistake, even though the error is one Sundial raises.
  REDIS_CONNECTION_FAILED: ExitCode.UNEXPECTED,
  // Nor is an admin API that cannot be reached or fails on its side.
  API_UNREACHABLE: ExitCode.UNEXPECTED,
  API_ERROR: ExitCode.UNEXPECTED,
};

/**
 * The exit status for an error a command raised. This is the one place that maps errors to exit
 * statuses:
 *
 * - a commander error: `OK` for `--help` and `--version`, else `INVALID_INPUT` (a usage mistake);
 * - a `SundialError`: by its `code`, `INVALID_INPUT` unless the code is listed otherwise;
 * - anything else: `UNEXPECTED`.
 */
export function exitCodeFor(error: unknown): ExitCode {
  if (isCommanderError(error)) return error.exitCode === 0 ? ExitCode.OK : ExitCode.INVALID_INPUT;
  if (error instanceof SundialError) return EXIT_CODE_BY_ERROR_CODE[error.code] ?? ExitCode.INVALID_INPUT;
  return ExitCode.UNEXPECTED;
}
