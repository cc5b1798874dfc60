import { MAX_FIRE_TIMES, TimeZone, nextFireTimes, validateTrigger } from '@sundial/shared';
import type { Command } from 'commander';
import type { CliContext } from '../cli-context';
import { parseInstantFlag, parseIntegerFlag } from '../flag-values';
import { formatZonedTime } from '../format-time';
import { addOutputFlag, parseOutputFormat, render } from '../output';
import { addTriggerFlags, triggerFromFlags, type TriggerFlags } from '../trigger-flags';

/** The flags of `sundial next`, as commander parses them. */
export interface NextFlags extends TriggerFlags {
  /** `--from ISO`: fire times strictly after this. @defaultValue now */
  from?: string;
  /** `-n N`: how many fire times. @defaultValue `"5"` */
  count: string;
  /** `-o json|yaml|table`. @defaultValue `"table"` */
  output: string;
}

const DEFAULT_COUNT = 5;

/**
 * Runs `sundial next`: prints the next fire times of the trigger the flags describe, strictly
 * after `--from`. `-o json` (or `yaml`) prints exactly what `nextFireTimes` returns, as ISO-8601 UTC strings;
 * `-o table` adds the local time in the trigger's zone.
 *
 * @throws ValidationError (or InvalidTriggerError) naming the flag or trigger field at fault
 */
export function runNext(flags: NextFlags, context: CliContext): void {
  const output = parseOutputFormat(flags.output);
  const count = parseIntegerFlag(flags.count, '-n', 1, MAX_FIRE_TIMES);
  const spec = validateTrigger(triggerFromFlags(flags));
  const zone = TimeZone.of(spec.timezone ?? 'UTC');
  const fromMs = flags.from === undefined ? context.clock.now() : parseInstantFlag(flags.from, zone, '--from');
  const times = nextFireTimes(spec, { from: fromMs, count }).map((date) => date.getTime());
  context.stdout.write(
    render(output, {
      json: () => times.map((ms) => new Date(ms).toISOString()),
      table: () => ({
        columns: [{ header: '#', align: 'right' }, { header: `TIME (${zone.name})` }, { header: 'UTC' }],
        rows: times.map((ms, index) => [String(index + 1), formatZonedTime(ms, zone), new Date(ms).toISOString()]),
        empty: `no fire times after ${new Date(fromMs).toISOString()}`,
      }),
    }),
  );
}

/** Adds `sundial next` to the program. */
export function registerNextCommand(program: Command, context: CliContext): Command {
  const command = program
    .command('next')
    .description('print the next fire times of a trigger')
    .usage('(--cron EXPR [--tz ZONE] | --every DURATION | --at ISO | --trigger JSON) [options]');
  addTriggerFlags(command)
    .option('--from <iso>', "fire times strictly after this instant; without an offset, in the trigger's zone (default: now)")
    .option('-n, --count <n>', `how many fire times, 1 to ${MAX_FIRE_TIMES}`, String(DEFAULT_COUNT));
  return addOutputFlag(command).action((flags: NextFlags) => runNext(flags, context));
}
