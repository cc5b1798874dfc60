import { MAX_BACKFILL_RUNS, TimeZone, ValidationError } from '@sundial/shared';
import type { Command, OptionValues } from 'commander';
import type { CliContext } from '../cli-context';
import type { ConnectionFlags } from '../connection';
import { parseChoiceFlag, parseInstantFlag, parseIntegerFlag } from '../flag-values';
import { addOutputFlag, parseOutputFormat, render } from '../output';
import { formatScheduleDetails } from '../schedule-view';
import { withClient } from '../with-client';

/** The flags every `schedule` subcommand takes. */
export interface ScheduleCommandFlags extends ConnectionFlags {
  /** `-o json|yaml|table`. @defaultValue `"table"` */
  output: string;
}

/** The flags of `sundial schedule resume`. */
export interface ScheduleResumeFlags extends ScheduleCommandFlags {
  /** `--catch-up none|policy`: what happens to the fire times that passed while paused. @defaultValue `"none"` */
  catchUp: string;
}

/** The flags of `sundial schedule trigger`. */
export interface ScheduleTriggerFlags extends ScheduleCommandFlags {
  /** `--force`: run even when the overlap policy would not. */
  force?: boolean;
}

/** The flags of `sundial schedule backfill`. */
export interface ScheduleBackfillFlags extends ScheduleTriggerFlags {
  /** `--from ISO`: the first instant of the range (inclusive). */
  from: string;
  /** `--to ISO`: the last instant of the range (inclusive). */
  to: string;
  /** `--limit N`: the most runs to create. @defaultValue `"1000"` */
  limit: string;
}

const CATCH_UP = ['none', 'policy'] as const;

/** Backfill options, as the client's errors name them, and the flags that set them. */
const BACKFILL_FLAG_OF_FIELD: Readonly<Record<string, string>> = { from: '--from', to: '--to', limit: '--limit' };

/** A backfill range error restated in terms of its flag, e.g. `to: ...` as `--to: ...`. */
function backfillErrorInFlagTerms(error: unknown): unknown {
  if (!(error instanceof ValidationError)) return error;
  const flag = BACKFILL_FLAG_OF_FIELD[error.field];
  return flag === undefined ? error : new ValidationError(flag, error.problem, { cause: error });
}

/** Runs `sundial schedule get`: prints one schedule. @throws NotFoundError */
export async function runScheduleGet(id: string, flags: ScheduleCommandFlags, context: CliContext): Promise<void> {
  const output = parseOutputFormat(flags.output);
  const schedule = await withClient(flags, context, (client) => client.get(id));
  context.stdout.write(render(output, { json: () => schedule, table: () => formatScheduleDetails(schedule) }));
}

/** Runs `sundial schedule pause`: pauses a schedule (pausing a paused one does nothing) and prints it. @throws NotFoundError */
export async function runSchedulePause(id: string, flags: ScheduleCommandFlags, context: CliContext): Promise<void> {
  const output = parseOutputFormat(flags.output);
  const schedule = await withClient(flags, context, (client) => client.pause(id));
  context.stdout.write(render(output, { json: () => schedule, table: () => formatScheduleDetails(schedule) }));
}

/**
 * Runs `sundial schedule resume`: resumes a paused schedule and prints it. With `--catch-up none`
 * it continues from now; with `policy` the fire times it missed are due at once, for its
 * misfire and coalesce policies to decide.
 *
 * @throws NotFoundError; ValidationError naming `--catch-up`
 */
export async function runScheduleResume(id: string, flags: ScheduleResumeFlags, context: CliContext): Promise<void> {
  const output = parseOutputFormat(flags.output);
  const catchUp = parseChoiceFlag(flags.catchUp, '--catch-up', CATCH_UP);
  const schedule = await withClient(flags, context, (client) => client.resume(id, { catchUp }));
  context.stdout.write(render(output, { json: () => schedule, table: () => formatScheduleDetails(schedule) }));
}

/** Runs `sundial schedule trigger`: asks for a run now, even while paused, and prints its run id. @throws NotFoundError */
export async function runScheduleTrigger(id: string, flags: ScheduleTriggerFlags, context: CliContext): Promise<void> {
  const output = parseOutputFormat(flags.output);
  const result = await withClient(flags, context, (client) => client.trigger(id, { force: flags.force ?? false }));
  context.stdout.write(render(output, { json: () => result, table: () => result.runId }));
}

/**
 * Runs `sundial schedule backfill`: runs the fire times of the schedule's trigger from `--from`
 * to `--to` (both inclusive; without an offset, in the trigger's zone) now, and prints their run
 * ids. Backfilling a range twice runs it once.
 *
 * @throws NotFoundError; ValidationError naming the flag
 */
export async function runScheduleBackfill(id: string, flags: ScheduleBackfillFlags, context: CliContext): Promise<void> {
  const output = parseOutputFormat(flags.output);
  const limit = parseIntegerFlag(flags.limit, '--limit', 1, MAX_BACKFILL_RUNS);
  const result = await withClient(flags, context, async (client) => {
    const schedule = await client.get(id);
    const zone = TimeZone.of(schedule.trigger.timezone ?? 'UTC');
    const fromMs = parseInstantFlag(flags.from, zone, '--from');
    const toMs = parseInstantFlag(flags.to, zone, '--to');
    try {
      return { ...(await client.backfill(id, { from: fromMs, to: toMs, force: flags.force ?? false, limit })), fromMs, toMs };
    } catch (error) {
      throw backfillErrorInFlagTerms(error);
    }
  });
  const { runIds, fromMs, toMs } = result;
  context.stdout.write(
    render(output, {
      json: () => ({ runIds }),
      table: () => (runIds.length === 0 ? `no fire times from ${new Date(fromMs).toISOString()} to ${new Date(toMs).toISOString()}` : runIds.join('\n')),
    }),
  );
}

/** Runs `sundial schedule remove`: removes a schedule with its state and run history. @throws NotFoundError */
export async function runScheduleRemove(id: string, flags: ScheduleCommandFlags, context: CliContext): Promise<void> {
  const output = parseOutputFormat(flags.output);
  await withClient(flags, context, (client) => client.remove(id));
  context.stdout.write(render(output, { json: () => ({ id, removed: true }), table: () => `removed schedule ${JSON.stringify(id)}` }));
}

type Action<F extends OptionValues> = (id: string, flags: F, context: CliContext) => Promise<void>;

function idCommand<F extends OptionValues>(schedule: Command, name: string, description: string, context: CliContext, action: Action<F>, options: (command: Command) => Command = (command) => command): Command {
  const command = options(schedule.command(name).description(description).argument('<id>', 'schedule id'));
  return addOutputFlag(command).action((id: string, _flags: unknown, self: Command) => action(id, self.optsWithGlobals<F>(), context));
}

/** Adds `schedule get`, `pause`, `resume`, `trigger`, `backfill` and `remove` to the `schedule` command. */
export function registerScheduleActionCommands(schedule: Command, context: CliContext): void {
  idCommand(schedule, 'get', 'print a schedule with its state', context, runScheduleGet);
  idCommand(schedule, 'pause', 'pause a schedule: no fire times are due until it is resumed', context, runSchedulePause);
  idCommand(schedule, 'resume', 'resume a paused schedule', context, runScheduleResume, (command) =>
    command.option('--catch-up <mode>', 'none: continue from now; policy: the fire times missed while paused are due at once, for the misfire and coalesce policies', 'none'),
  );
  idCommand(schedule, 'trigger', 'run a schedule now, even while paused; prints the run id', context, runScheduleTrigger, (command) =>
    command.option('--force', 'run even when the overlap policy would not'),
  );
  idCommand(schedule, 'backfill', "run the trigger's fire times in a past range now; prints the run ids", context, runScheduleBackfill, (command) =>
    command
      .requiredOption('--from <iso>', "first instant of the range, inclusive; without an offset, in the trigger's zone")
      .requiredOption('--to <iso>', 'last instant of the range, inclusive')
      .option('--force', 'run even when the overlap policy would not')
      .option('--limit <n>', `the most runs to create, 1 to ${MAX_BACKFILL_RUNS}`, '1000'),
  );
  idCommand(schedule, 'remove', 'remove a schedule with its state and run history', context, runScheduleRemove);
}
