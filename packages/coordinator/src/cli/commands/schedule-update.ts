import type { Command } from 'commander';
import type { CliContext } from '../cli-context';
import type { ConnectionFlags } from '../connection';
import { addOutputFlag, parseOutputFormat, render } from '../output';
import { addScheduleFlags, inFlagTerms, type ScheduleFlags } from '../schedule-flags';
import { scheduleChangesFromFlags } from '../schedule-input';
import { formatScheduleDetails } from '../schedule-view';
import { withClient } from '../with-client';

/** The flags of `sundial schedule update`, as commander parses them. */
export interface ScheduleUpdateFlags extends ScheduleFlags, ConnectionFlags {
  /** `-o json|yaml|table`. @defaultValue `"table"` */
  output: string;
}

/**
 * Runs `sundial schedule update`: changes the fields whose flags are given, leaves the others,
 * and prints the schedule. A changed trigger takes effect from now.
 *
 * @throws NotFoundError; ValidationError naming the flag
 */
export async function runScheduleUpdate(id: string, flags: ScheduleUpdateFlags, context: CliContext): Promise<void> {
  const output = parseOutputFormat(flags.output);
  const schedule = await withClient(flags, context, async (client) => {
    const current = await client.get(id);
    const changes = scheduleChangesFromFlags(flags, current.retry);
    try {
      return await client.update(id, changes);
    } catch (error) {
      throw inFlagTerms(error);
    }
  });
  context.stdout.write(render(output, { json: () => schedule, table: () => formatScheduleDetails(schedule) }));
}

/** Adds `schedule update` to the `schedule` command. */
export function registerScheduleUpdateCommand(schedule: Command, context: CliContext): Command {
  const command = schedule
    .command('update')
    .description('change fields of a schedule: only those whose flags are given; trigger flags, if any, form the new trigger; --label flags replace all labels')
    .argument('<id>', 'schedule id')
    .usage('ID [trigger flags] [options]')
    .option('--task <name>', 'the task a worker runs');
  addScheduleFlags(command);
  return addOutputFlag(command).action((id: string, _flags: unknown, self: Command) => runScheduleUpdate(id, self.optsWithGlobals<ScheduleUpdateFlags>(), context));
}
