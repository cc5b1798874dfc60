import type { ListRunsOptions } from '@sundial/shared';
import { TimeZone } from '@sundial/shared';
import type { Command } from 'commander';
import type { CliContext } from '../cli-context';
import type { ConnectionFlags } from '../connection';
import { parseInstantFlag, parseIntegerFlag } from '../flag-values';
import { addOutputFlag, parseOutputFormat, render } from '../output';
import { formatRunDetails, runTable } from '../run-view';
import { withClient } from '../with-client';

/** The flags of `sundial runs list`, as commander parses them. */
export interface RunsListFlags extends ConnectionFlags {
  /** `--schedule ID`: only the runs of this schedule. */
  schedule?: string;
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
  if (flags.before !== undefined) options.before = parseInstantFlag(flags.before, TimeZone.of('UTC'), '--before');
  return options;
}

/**
 * Runs `sundial runs list`: runs newest first, each with `runId`, `scheduleId`, `fireTime`
 * (ISO-8601), `status` and `attempts` among its fields. With `--schedule`, an unknown schedule is
 * an error.
 *
 * @throws NotFoundError for an unknown `--schedule`; ValidationError naming the flag
 */
export async function runRunsList(flags: RunsListFlags, context: CliContext): Promise<void> {
  const output = parseOutputFormat(flags.output);
  const options = runListOptionsFromFlags(flags);
  const runs = await withClient(flags, context, async (client) => {
    if (options.scheduleId !== undefined) await client.get(options.scheduleId);
    return client.listRuns(options);
  });
  context.stdout.write(render(output, { json: () => runs, table: () => runTable(runs) }));
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

/** Adds `sundial runs` with `runs list`, `runs get` and `runs retry`. */
export function registerRunsCommand(program: Command, context: CliContext): Command {
  const runs = program.command('runs').description('inspect runs: enqueued, running, finished, missed and skipped fire times');
  const list = runs
    .command('list')
    .description('list runs, newest first')
    .option('--schedule <id>', 'only the runs of this schedule')
    .option('--limit <n>', `how many runs, 1 to ${MAX_LIMIT}`, '50')
    .option('--before <iso>', 'only runs with a fire time before this instant (UTC without an offset)');
  addOutputFlag(list).action((_flags: unknown, self: Command) => runRunsList(self.optsWithGlobals<RunsListFlags>(), context));
  const get = runs.command('get').description('print one run').argument('<run-id>', 'run id, e.g. nightly@1767225600000');
  addOutputFlag(get).action((runId: string, _flags: unknown, self: Command) => runRunsGet(runId, self.optsWithGlobals<RunsGetFlags>(), context));
  const retry = runs.command('retry').description('run a failed run again, while its job is kept').argument('<run-id>', 'run id of a failed run');
  addOutputFlag(retry).action((runId: string, _flags: unknown, self: Command) => runRunsRetry(runId, self.optsWithGlobals<RunsRetryFlags>(), context));
  return runs;
}
