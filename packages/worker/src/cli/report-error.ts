import { SundialError } from '@sundial/shared';
import { CommanderError } from 'commander';
import type { WorkerCliContext } from './cli-context';
import { ExitCode, exitCodeFor } from './exit-codes';

/** The prefix of every error line. */
const PREFIX = 'sundial-worker: ';

function oneLine(text: string): string {
  return text.trim().replace(/\s*\n\s*/g, ' ');
}

/**
 * Reports an error and returns the exit status to end with: one line `sundial-worker: <message>`
 * on stderr, never a stack trace (unless `SUNDIAL_DEBUG=1`, for an unexpected error).
 */
export function reportError(error: unknown, context: WorkerCliContext): ExitCode {
  const exitCode = exitCodeFor(error);
  if (error instanceof CommanderError) {
    // Commander has already written the help text for --help and --version.
    if (exitCode !== ExitCode.OK && error.code !== 'commander.help') context.stderr.write(`${PREFIX}${oneLine(error.message.replace(/^error:\s*/, ''))}\n`);
    return exitCode;
  }
  if (error instanceof SundialError) {
    context.stderr.write(`${PREFIX}${oneLine(error.message)}\n`);
    return exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  context.stderr.write(`${PREFIX}unexpected error: ${oneLine(message)}\n`);
  if (context.env.SUNDIAL_DEBUG === '1' && error instanceof Error && error.stack) context.stderr.write(`${error.stack}\n`);
  return exitCode;
}
