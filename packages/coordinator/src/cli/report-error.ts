import { ExitCode, exitCodeFor, oneLine, reportCliError } from '@sundial/shared';
import type { CliContext } from './cli-context';
import { ValidationErrorList } from '../apply/validation-error-list';

/** The name opening every line `sundial` writes to stderr. */
const PROGRAM_NAME = 'sundial';

/** Writes a warning: one line on stderr, `sundial: warning: <message>`. The command goes on. */
export function reportWarning(message: string, context: CliContext): void {
  context.stderr.write(`${PROGRAM_NAME}: warning: ${oneLine(message)}\n`);
}

/**
 * Reports an error a command raised and returns the exit status to end with, as
 * {@link reportCliError} does with the prefix `sundial: `. A `ValidationErrorList` is one line
 * per error.
 */
export function reportError(error: unknown, context: CliContext): ExitCode {
  if (error instanceof ValidationErrorList) {
    for (const each of error.errors) reportCliError(each, context, PROGRAM_NAME);
    return exitCodeFor(error);
  }
  return reportCliError(error, context, PROGRAM_NAME);
}
