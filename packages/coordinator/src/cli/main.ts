import { Command } from 'commander';
import { processContext, type CliContext } from './cli-context';
import { registerApplyCommand } from './commands/apply';
import { registerCoordinatorCommand } from './commands/coordinator';
import { registerEventsCommand } from './commands/events';
import { registerNextCommand } from './commands/next';
import { registerRunsCommand } from './commands/runs';
import { registerScheduleCommand } from './commands/schedule';
import { registerStatusCommand } from './commands/status';
import { addConnectionFlags } from './connection';
import { ExitCode } from '@sundial/shared';
import { reportError } from './report-error';
import { packageVersion } from './version';

/**
 * Builds the `sundial` program with its commands. Commander does not exit the process or print
 * errors itself: every error reaches the caller of `parseAsync`, for {@link main} to report.
 */
export function createProgram(context: CliContext): Command {
  const program = new Command('sundial')
    .description('Sundial: a distributed job scheduler. Preview triggers, manage schedules and runs, run a coordinator.')
    .version(packageVersion(), '-V, --version')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => context.stdout.write(text),
      writeErr: (text) => context.stderr.write(text),
      outputError: () => undefined,
    });
  addConnectionFlags(program);
  registerNextCommand(program, context);
  registerScheduleCommand(program, context);
  registerRunsCommand(program, context);
  registerStatusCommand(program, context);
  registerEventsCommand(program, context);
  registerApplyCommand(program, context);
  registerCoordinatorCommand(program, context);
  return program;
}

/**
 * Runs the `sundial` command line and returns its exit status (see `ExitCode`); it never throws
 * and never exits the process.
 *
 * @param argv - the arguments as in `process.argv`: the node binary, the script, then the arguments
 * @param context - streams, environment and clock @defaultValue the process's own
 */
export async function main(argv: readonly string[], context: CliContext = processContext()): Promise<ExitCode> {
  try {
    await createProgram(context).parseAsync([...argv], { from: 'node' });
    return ExitCode.OK;
  } catch (error) {
    return reportError(error, context);
  }
}
