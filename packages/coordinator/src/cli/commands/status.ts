import { SundialClient, ValidationError, closeRedis, discoverNamespaces, namespacesFlagsHelp, type ClusterStatus } from '@sundial/shared';
import type { Command } from 'commander';
import { resolveApiSettings } from '../api-connection';
import type { CliContext } from '../cli-context';
import { openConnection, resolveConnection, type ConnectionFlags } from '../connection';
import { coordinatorNamespaces, type CoordinatorNamespacesFlags } from '../namespace-flags';
import { formatNamespacesStatus } from '../namespaces-view';
import { addOutputFlag, parseOutputFormat, render, type OutputFormat } from '../output';
import { formatStatus } from '../status-view';
import { addWatchFlags, printRepeatedly, watchIntervalFromFlags, type WatchFlags } from '../watch';
import { withClient } from '../with-client';

/** The flags of `sundial status`. */
export interface StatusFlags extends ConnectionFlags, WatchFlags, CoordinatorNamespacesFlags {
  /** `-o json|yaml|table`. @defaultValue `"table"` */
  output: string;
}

/** Prints, repeatedly with `--watch`, one line per namespace: which coordinator leads it. */
async function runNamespacesStatus(flags: StatusFlags, namespaces: readonly string[] | 'all', output: OutputFormat, intervalMs: number | undefined, context: CliContext): Promise<void> {
  if (resolveApiSettings(flags, context.env) !== undefined) {
    throw new ValidationError(flags.allNamespaces ? '--all-namespaces' : '--namespaces', "reads several namespaces from Redis; it cannot be used with --api (or SUNDIAL_API_URL), which serves one");
  }
  const redis = await openConnection(resolveConnection(flags, context.env), 'sundial:cli');
  try {
    await printRepeatedly(intervalMs, output, context, async () => {
      const names = namespaces === 'all' ? await discoverNamespaces(redis) : namespaces;
      const statuses: ClusterStatus[] = [];
      for (const namespace of names) {
        const client = new SundialClient({ connection: redis, namespace });
        statuses.push(await client.status());
        await client.close();
      }
      return render(output, { json: () => statuses, table: () => formatNamespacesStatus(statuses) });
    });
  } finally {
    await closeRedis(redis);
  }
}

/**
 * Runs `sundial status`: the namespace, epoch, live coordinators (the leader marked) and workers,
 * and counts. With `--namespaces` or `--all-namespaces`, one line per namespace saying which
 * coordinator replica leads it. With `--watch`, printed again every `--interval` until SIGINT or SIGTERM.
 */
export async function runStatus(flags: StatusFlags, context: CliContext): Promise<void> {
  const output = parseOutputFormat(flags.output);
  const intervalMs = watchIntervalFromFlags(flags);
  const namespaces = coordinatorNamespaces(flags);
  if (namespaces !== undefined) {
    await runNamespacesStatus(flags, namespaces, output, intervalMs, context);
    return;
  }
  await withClient(flags, context, (client) =>
    printRepeatedly(intervalMs, output, context, async () => {
      const status = await client.status();
      return render(output, { json: () => status, table: () => formatStatus(status) });
    }),
  );
}

/** Adds `sundial status`. */
export function registerStatusCommand(program: Command, context: CliContext): Command {
  const help = namespacesFlagsHelp('show which coordinator leads');
  const command = program
    .command('status')
    .description('show the coordinators, workers and counts of the namespace, or which coordinator leads each of several namespaces')
    .option('--namespaces <list>', help.namespaces)
    .option('--all-namespaces', 'show which coordinator leads every namespace that holds schedules');
  return addOutputFlag(addWatchFlags(command)).action((_flags: unknown, self: Command) => runStatus(self.optsWithGlobals<StatusFlags>(), context));
}
