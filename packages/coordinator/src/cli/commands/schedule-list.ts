import type { ListSchedulesOptions } from '@sundial/shared';
import type { Command } from 'commander';
import type { CliContext } from '../cli-context';
import type { ConnectionFlags } from '../connection';
import { parseChoiceFlag, parseIntegerFlag } from '../flag-values';
import { addOutputFlag, parseOutputFormat, render } from '../output';
import { labelsFromFlags } from '../schedule-input';
import { formatSchedulePage } from '../schedule-view';
import { withClient } from '../with-client';

/** The flags of `sundial schedule list`, as commander parses them. */
export interface ScheduleListFlags extends ConnectionFlags {
  /** `--task NAME`: only schedules of this task. */
  task?: string;
  /** `--queue NAME`: only schedules whose runs go to this queue. */
  queue?: string;
  /** `--state active|paused|finished`. */
  state?: string;
  /** `--label key=value`, repeatable: every label given must match. */
  label?: string[];
  /** `--limit N`: schedules per page. @defaultValue `"100"` */
  limit: string;
  /** `--cursor C`: where the previous page ended. */
  cursor?: string;
  /** `-o json|yaml|table`. @defaultValue `"table"` */
  output: string;
}

const STATES = ['active', 'paused', 'finished'] as const;
const MAX_LIMIT = 1_000;

/**
 * The client's list options from the flags.
 *
 * @throws ValidationError naming the flag
 */
export function listOptionsFromFlags(flags: ScheduleListFlags): ListSchedulesOptions {
  const options: ListSchedulesOptions = { limit: parseIntegerFlag(flags.limit, '--limit', 1, MAX_LIMIT) };
  if (flags.task !== undefined) options.task = flags.task;
  if (flags.queue !== undefined) options.queue = flags.queue;
  if (flags.state !== undefined) options.state = parseChoiceFlag(flags.state, '--state', STATES);
  if (flags.label !== undefined) options.labels = labelsFromFlags(flags.label);
  if (flags.cursor !== undefined) {
    parseIntegerFlag(flags.cursor, '--cursor', 0, Number.MAX_SAFE_INTEGER);
    options.cursor = flags.cursor;
  }
  return options;
}

/**
 * Runs `sundial schedule list`: a page of schedules in creation order, filtered. JSON and YAML
 * print `{ schedules, nextCursor }`; `nextCursor` is null on the last page.
 */
export async function runScheduleList(flags: ScheduleListFlags, context: CliContext): Promise<void> {
  const output = parseOutputFormat(flags.output);
  const options = listOptionsFromFlags(flags);
  const page = await withClient(flags, context, (client) => client.list(options));
  context.stdout.write(render(output, { json: () => page, table: () => formatSchedulePage(page) }));
}

function collect(value: string, previous: readonly string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Adds `schedule list` to the `schedule` command. */
export function registerScheduleListCommand(schedule: Command, context: CliContext): Command {
  const command = schedule
    .command('list')
    .description('list schedules in creation order, a page at a time')
    .option('--task <name>', 'only schedules of this task')
    .option('--queue <name>', 'only schedules whose runs go to this queue')
    .option('--state <state>', 'only active, paused or finished schedules')
    .option('--label <key=value>', 'only schedules with this label; repeat for several', collect)
    .option('--limit <n>', `schedules per page, 1 to ${MAX_LIMIT}`, '100')
    .option('--cursor <cursor>', 'continue where the previous page ended');
  return addOutputFlag(command).action((_flags: unknown, self: Command) => runScheduleList(self.optsWithGlobals<ScheduleListFlags>(), context));
}
