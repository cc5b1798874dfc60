import { SundialError } from '@sundial/shared';
import { CommanderError } from 'commander';
import type { CliContext } from './cli-context';
import { ExitCode, exitCodeFor } from './exit-codes';
import { ValidationErrorList } from './validation-error-list';

/** The prefix of every line `sundial` writes to stderr. */
const PREFIX = 'sundial: ';

/** Commander's messages open with `error: `, which the prefix already says. */
function commanderMessage(error: CommanderError): string {
  return error.message.replace(/^error:\s*/, '');
}

/** Joins a multi-line message into one line, so every error is exactly one line. */
function oneLine(text: string): string {
  return text.trim().replace(/\s*\n\s*/g, ' ');
}

/** Writes a warning: one line on stderr, `sundial: warning: <message>`. The command goes on. */
export function reportWarning(message: string, context: CliContext): void {
  context.stderr.write(`${PREFIX}warning: ${oneLine(message)}\n`);
}

/**
 * Reports an error a command raised and returns the exit status to end with. A user mistake (a
 * `SundialError` or a usage error) is one line, `sundial: <message>`, never a stack trace;
 * anything else is `sundial: unexpected error: <message>`, followed by the stack when
 * `SUNDIAL_DEBUG=1`. A `ValidationErrorList` is one such line per error.
 */
export function reportError(error: unknown, context: CliContext): ExitCode {
  const exitCode = exitCodeFor(error);
  if (error instanceof CommanderError) {
    // Commander has already written the help text for `--help`, `--version` and a bare `sundial`.
    if (exitCode !== ExitCode.OK && error.code !== 'commander.help') {
      context.stderr.write(`${PREFIX}${oneLine(commanderMessage(error))}\n`);
    }
    return exitCode;
  }
  if (error instanceof ValidationErrorList) {
    for (const each of error.errors) context.stderr.write(`${PREFIX}${oneLine(each.message)}\n`);
    return exitCode;
  }
  if (error instanceof SundialError) {
    context.stderr.write(`${PREFIX}${oneLine(error.message)}\n`);
    return exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  context.stderr.write(`${PREFIX}unexpected error: ${oneLine(message)}\n`);
  if (context.env.SUNDIAL_DEBUG === '1' && error instanceof Error && error.stack) {
    context.stderr.write(`${error.stack}\n`);
  }
  return exitCode;
}
