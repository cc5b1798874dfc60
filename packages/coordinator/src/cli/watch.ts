import { ExitCode, listenForStop } from '@sundial/shared';
import type { Command } from 'commander';
import type { CliContext } from './cli-context';
import { parseDurationFlag } from './flag-values';
import type { OutputFormat } from './output';

/** The flags of a command that can redraw its output. */
export interface WatchFlags {
  /** `-w, --watch`: redraw every `--interval` until SIGINT or SIGTERM. */
  watch?: boolean;
  /** `--interval DURATION`. @defaultValue `"2s"` */
  interval: string;
}

/** The shortest `--interval`. */
const MIN_INTERVAL_MS = 100;

/** Moves the cursor home and clears the terminal. */
const CLEAR_SCREEN = '\u001b[H\u001b[2J';

/** Declares `-w, --watch` and `--interval` (see {@link WatchFlags}) on a command. */
export function addWatchFlags(command: Command): Command {
  return command
    .option('-w, --watch', 'redraw every --interval until SIGINT or SIGTERM')
    .option('--interval <duration>', 'how often --watch redraws, e.g. 500ms or 5s', '2s');
}

/**
 * How often to redraw: undefined without `--watch`.
 *
 * @throws ValidationError naming `--interval`
 */
export function watchIntervalFromFlags(flags: WatchFlags): number | undefined {
  const intervalMs = parseDurationFlag(flags.interval, '--interval', MIN_INTERVAL_MS);
  return flags.watch ? intervalMs : undefined;
}

/**
 * Prints what `draw` returns (text in the output format), once; or, with an interval, again
 * after each interval until the first SIGINT or SIGTERM (a second one ends the process at once
 * with status 1). Each refresh of a table clears the screen when stdout is a terminal, and is
 * preceded by a separator line with the time otherwise; JSON prints one document (one line) per
 * refresh, YAML one `---` document.
 *
 * @throws whatever `draw` throws; the command ends with it
 */
export async function printRepeatedly(intervalMs: number | undefined, output: OutputFormat, context: CliContext, draw: () => Promise<string>): Promise<void> {
  if (intervalMs === undefined) {
    context.stdout.write(await draw());
    return;
  }
  const stop = listenForStop(context.signals, () => context.exit(ExitCode.UNEXPECTED));
  let stopped = false;
  void stop.first.then(() => (stopped = true));
  try {
    for (let refresh = 0; !stopped; refresh++) {
      const text = await draw();
      context.stdout.write(`${refreshPrefix(output, refresh, context)}${text}`);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([stop.first, new Promise((resolve) => (timer = setTimeout(resolve, intervalMs)))]);
      clearTimeout(timer);
    }
  } finally {
    stop.dispose();
  }
}

function refreshPrefix(output: OutputFormat, refresh: number, context: CliContext): string {
  if (output === 'json') return '';
  if (output === 'yaml') return '---\n';
  if (context.stdout.isTTY) return CLEAR_SCREEN;
  return refresh === 0 ? '' : `--- ${new Date(context.clock.now()).toISOString()}\n`;
}
