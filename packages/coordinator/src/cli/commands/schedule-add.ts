import { validateSchedule, type ConflictPolicy } from '@sundial/shared';
import type { Command } from 'commander';
import type { CliContext } from '../cli-context';
import type { ConnectionFlags } from '../connection';
import { parseChoiceFlag } from '../flag-values';
import { addOutputFlag, parseOutputFormat, render } from '../output';
import { reportWarning } from '../report-error';
import { addScheduleFlags, inFlagTerms, type ScheduleFlags } from '../schedule-flags';
import { scheduleInputFromFlags } from '../schedule-input';
import { formatScheduleDetails } from '../schedule-view';
import { withClient } from '../with-client';
import { servedTasks, unservedTaskError } from '../worker-check';

/** The flags of `sundial schedule add`, as commander parses them. */
export interface ScheduleAddFlags extends ScheduleFlags, ConnectionFlags {
  /** `--paused`: create it paused. */
  paused?: boolean;
  /** `--on-conflict error|replace|keep`: when the id is taken. @defaultValue `"error"` */
  onConflict: string;
  /** `--strict`: refuse, writing nothing, when no live worker serves the task. */
  strict?: boolean;
  /** `-o json|yaml|table`. @defaultValue `"table"` */
  output: string;
}

/** The choices of `--on-conflict`. */
export const CONFLICT_POLICIES = ['error', 'replace', 'keep'] as const satisfies readonly ConflictPolicy[];

/**
 * Runs `sundial schedule add`: validates the schedule the flags describe, adds it and prints it.
 * Warnings (no live worker serves the task) go to stderr; with `--strict` that is an error
 * raised before anything is written.
 *
 * @throws ValidationError naming the flag; ConflictError when the id is taken and `--on-conflict` is `error`
 */
export async function runScheduleAdd(id: string, flags: ScheduleAddFlags, context: CliContext): Promise<void> {
  const output = parseOutputFormat(flags.output);
  const onConflict = parseChoiceFlag(flags.onConflict, '--on-conflict', CONFLICT_POLICIES);
  const input = scheduleInputFromFlags(id, flags);
  try {
    validateSchedule(input);
  } catch (error) {
    throw inFlagTerms(error);
  }
  const result = await withClient(flags, context, async (client) => {
    if (flags.strict && !(await servedTasks(client)).has(input.task)) throw unservedTaskError('--task', input.task);
    try {
      return await client.add(input, { onConflict });
    } catch (error) {
      throw inFlagTerms(error);
    }
  });
  if (result.outcome === 'kept') reportWarning(`schedule ${JSON.stringify(id)} already exists; kept it unchanged (--on-conflict keep)`, context);
  for (const warning of result.warnings) reportWarning(warning, context);
  context.stdout.write(render(output, { json: () => result.schedule, table: () => formatScheduleDetails(result.schedule) }));
}

/** Adds `schedule add` to the `schedule` command. */
export function registerScheduleAddCommand(schedule: Command, context: CliContext): Command {
  const command = schedule
    .command('add')
    .description('add a schedule')
    .argument('<id>', 'schedule id: letters, digits and . _ -')
    .usage('ID --task NAME (--cron EXPR [--tz ZONE] | --every DURATION | --at ISO | --trigger JSON) [options]')
    .requiredOption('--task <name>', 'the task a worker runs');
  addScheduleFlags(command)
    .option('--paused', 'create it paused')
    .option('--on-conflict <policy>', 'when the id is taken: error, replace or keep', 'error')
    .option('--strict', 'refuse, writing nothing, when no live worker serves the task');
  return addOutputFlag(command).action((id: string, _flags: unknown, self: Command) => runScheduleAdd(id, self.optsWithGlobals<ScheduleAddFlags>(), context));
}
