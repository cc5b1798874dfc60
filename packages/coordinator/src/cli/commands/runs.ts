import { RUN_STATUSES, TimeZone, type ListRunsOptions } from '@sundial/shared';
import type { Command } from 'commander';
import type { CliContext } from '../cli-context';
import type { ConnectionFlags } from '../connection';
import { parseChoiceFlag, parseInstantFlag, parseIntegerFlag } from '../flag-values';
import { addOutputFlag, parseOutputFormat, render } from '../output';
import { formatRunDetails, runTable } from '../run-view';
import { addWatchFlags, printRepeatedly, watchIntervalFromFlags, type WatchFlags } from '../watch';
import { withClient } from '../with-client';

/** The flags of `sundial runs list`, as commander parses them. */
export interface RunsListFlags extends ConnectionFlags, WatchFlags {
  /** `--schedule ID`: only the runs of this schedule. */
  schedule?: string;
  /** `--status STATUS`: only runs with this status. */
  status?: string;
  /** `--task NAME`: only runs of this task. */
  task?: string;
  /** `--limit N`. @defaultValue `"50"` */
  limit: string;
  /** `--before ISO`: only runs with a fire time before this, for paging back. */
  before?: string;
  /** `-o json|yaml|table`. @defaultValue `"table"` */
  output: string;
}

/** The flags of `sundial runs get`. */
export interface RunsGetFlags extends ConnectionFlags {
  /** `-o json|yaml|table`. @defaultValue `"table"` */
  output: string;
}

const MAX_LIMIT = 1_000;

/**
 * The client's run list options from the flags.
 *
 * @throws ValidationError naming the flag
 */
export function runListOptionsFromFlags(flags: RunsListFlags): ListRunsOptions {
  const options: ListRunsOptions = { limit: parseIntegerFlag(flags.limit, '--limit', 1, MAX_LIMIT) };
  if (flags.schedule !== undefined) options.scheduleId = flags.schedule;
  if (flags.status !== undefined) options.status = parseChoiceFlag(flags.status, '--status', RUN_STATUSES);
  if (flags.task !== undefined) options.task = flags.task;
  if (flags.before !== undefined) options.before = parseInstantFlag(flags.before, TimeZone.of('UTC'), '--before');
  return options;
}

/**
 * Runs `sundial runs list`: runs newest first, each with `runId`, `scheduleId`, `fireTime`
 * (ISO-8601), `status` and `attempts` among its fields, filtered by schedule, status and task.
 * With `--schedule`, an unknown schedule is an error. With `--watch`, the list is printed again
 * every `--interval` until SIGINT or SIGTERM.
 *
 * @throws NotFoundError for an unknown `--schedule`; ValidationError naming the flag
 */
export async function runRunsList(flags: RunsListFlags, context: CliContext): Promise<void> {
  const output = parseOutputFormat(flags.output);
  const options = runListOptionsFromFlags(flags);
  const intervalMs = watchIntervalFromFlags(flags);
  await withClient(flags, context, async (client) => {
    if (options.scheduleId !== undefined) await client.get(options.scheduleId);
    await printRepeatedly(intervalMs, output, context, async () => {
      const runs = await client.listRuns(options);
      return render(output, { json: () => runs, table: () => runTable(runs) });
    });
  });
}

/** Runs `sundial runs get`: prints one run. @throws NotFoundError */
export async function runRunsGet(runId: string, flags: RunsGetFlags, context: CliContext): Promise<void> {
  const output = parseOutputFormat(flags.output);
  const run = await withClient(flags, context, (client) => client.getRun(runId));
  context.stdout.write(render(output, { json: () => run, table: () => formatRunDetails(run) }));
}

/** The flags of `sundial runs retry`. */
export interface RunsRetryFlags extends ConnectionFlags {
  /** `-o json|yaml|table`. @defaultValue `"table"` */
  output: string;
}

/**
 * Runs `sundial runs retry`: runs a failed run again (its record goes back to `enqueued` with
 * reason `retried`) and prints it.
 *
 * @throws NotFoundError for an unknown run; ValidationError naming `runId` for a run that is not
 *   failed or whose job is no longer kept
 */
export async function runRunsRetry(runId: string, flags: RunsRetryFlags, context: CliContext): Promise<void> {
  const output = parseOutputFormat(flags.output);
  const run = await withClient(flags, context, (client) => client.retryRun(runId));
  context.stdout.write(render(output, { json: () => run, table: () => formatRunDetails(run) }));
}

/** The flags of `sundial runs cancel`. */
export interface RunsCancelFlags extends ConnectionFlags {
  /** `-o json|yaml|table`. @defaultValue `"table"` */
  output: string;
}

/**
 * Runs `sundial runs cancel`: cancels a run that has not finished (one waiting in its queue is
 * removed, a running one is told to abort), waits a few seconds for that to happen, and prints
 * the run.
 *
 * @throws NotFoundError for an unknown run; ValidationError naming `runId` for a run that already finished
 */
export async function runRunsCancel(runId: string, flags: RunsCancelFlags, context: CliContext): Promise<void> {
  const output = parseOutputFormat(flags.output);
  const run = await withClient(flags, context, (client) => client.cancelRun(runId));
  context.stdout.write(render(output, { json: () => run, table: () => formatRunDetails(run) }));
}

/** Adds `sundial runs` with `runs list`, `runs get`, `runs retry` and `runs cancel`. */
export function registerRunsCommand(program: Command, context: CliContext): Command {
  const runs = program.command('runs').description('inspect runs: enqueued, running, finished, missed and skipped fire times');
  const list = runs
    .command('list')
    .description('list runs, newest first')
    .option('--schedule <id>', 'only the runs of this schedule')
    .option('--status <status>', `only runs with this status: ${RUN_STATUSES.join(', ')}`)
    .option('--task <name>', 'only runs of this task')
    .option('--limit <n>', `how many runs, 1 to ${MAX_LIMIT}`, '50')
    .option('--before <iso>', 'only runs with a fire time before this instant (UTC without an offset)');
  addOutputFlag(addWatchFlags(list)).action((_flags: unknown, self: Command) => runRunsList(self.optsWithGlobals<RunsListFlags>(), context));
  const get = runs.command('get').description('print one run').argument('<run-id>', 'run id, e.g. nightly@1767225600000');
  addOutputFlag(get).action((runId: string, _flags: unknown, self: Command) => runRunsGet(runId, self.optsWithGlobals<RunsGetFlags>(), context));
  const retry = runs.command('retry').description('run a failed run again, while its job is kept').argument('<run-id>', 'run id of a failed run');
  addOutputFlag(retry).action((runId: string, _flags: unknown, self: Command) => runRunsRetry(runId, self.optsWithGlobals<RunsRetryFlags>(), context));
  const cancel = runs.command('cancel').description('cancel a run that has not finished: remove it from its queue, or abort it while it runs').argument('<run-id>', 'run id of an enqueued or running run');
  addOutputFlag(cancel).action((runId: string, _flags: unknown, self: Command) => runRunsCancel(runId, self.optsWithGlobals<RunsCancelFlags>(), context));
  return runs;
}
