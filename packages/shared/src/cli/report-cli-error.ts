import { SundialError } from '../errors';
import type { CliIo } from './cli-io';
import { isCommanderError } from './commander-error';
import { ExitCode, exitCodeFor } from './exit-codes';
import { oneLine } from './one-line';

/**
 * Reports an error a command raised and returns the exit status to end with. A user mistake (a
 * `SundialError` or a usage error) is one line on stderr, `<programName>: <message>`, never a
 * stack trace; anything else is `<programName>: unexpected error: <message>`, followed by the
 * stack when `SUNDIAL_DEBUG=1`. For `--help` and `--version` commander has already written the
 * output, so nothing more is written.
 *
 * @param context - where the line goes, and `SUNDIAL_DEBUG`
 * @param programName - the command's name, such as `sundial`, opening every line
 */
export function reportCliError(error: unknown, context: Pick<CliIo, 'stderr' | 'env'>, programName: string): ExitCode {
  const prefix = `${programName}: `;
  const exitCode = exitCodeFor(error);
  if (isCommanderError(error)) {
    // Commander has already written the help text for `--help`, `--version` and a bare command.
    // Its messages open with `error: `, which the prefix already says.
    if (exitCode !== ExitCode.OK && error.code !== 'commander.help') {
      context.stderr.write(`${prefix}${oneLine(error.message.replace(/^error:\s*/, ''))}\n`);
    }
    return exitCode;
  }
  if (error instanceof SundialError) {
    context.stderr.write(`${prefix}${oneLine(error.message)}\n`);
    return exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  context.stderr.write(`${prefix}unexpected error: ${oneLine(message)}\n`);
  if (context.env.SUNDIAL_DEBUG === '1' && error instanceof Error && error.stack) {
    context.stderr.write(`${error.stack}\n`);
  }
  return exitCode;
}
