import type { Command } from 'commander';
import type { CliContext } from '../cli-context';
import type { ConnectionFlags } from '../connection';
import { addOutputFlag, parseOutputFormat, render } from '../output';
import { formatStatus } from '../status-view';
import { addWatchFlags, printRepeatedly, watchIntervalFromFlags, type WatchFlags } from '../watch';
import { withClient } from '../with-client';

/** The flags of `sundial status`. */
export interface StatusFlags extends ConnectionFlags, WatchFlags {
  /** `-o json|yaml|table`. @defaultValue `"table"` */
  output: string;
}

/**
 * Runs `sundial status`: the namespace, epoch, live coordinators (the leader marked) and workers,
 * and counts. With `--watch`, printed again every `--interval` until SIGINT or SIGTERM.
 */
export async function runStatus(flags: StatusFlags, context: CliContext): Promise<void> {
  const output = parseOutputFormat(flags.output);
  const intervalMs = watchIntervalFromFlags(flags);
  await withClient(flags, context, (client) =>
    printRepeatedly(intervalMs, output, context, async () => {
      const status = await client.status();
      return render(output, { json: () => status, table: () => formatStatus(status) });
    }),
  );
}

/** Adds `sundial status`. */
export function registerStatusCommand(program: Command, context: CliContext): Command {
  const command = program.command('status').description('show the coordinators, workers and counts of the namespace');
  return addOutputFlag(addWatchFlags(command)).action((_flags: unknown, self: Command) => runStatus(self.optsWithGlobals<StatusFlags>(), context));
}
