import { ExitCode, ValidationError, isSundialEventType, listenForStop, parseSubscriptionStart, SUNDIAL_EVENT_TYPES, type SundialEvent, type SundialEventType, type SundialOperations } from '@sundial/shared';
import type { Command } from 'commander';
import type { CliContext } from '../cli-context';
import type { ConnectionFlags } from '../connection';
import { EVENT_COLUMNS, eventRow, eventTable, localZone, tailLine } from '../event-view';
import { parseIntegerFlag } from '../flag-values';
import { addOutputFlag, formatJson, formatYaml, parseOutputFormat, render, type OutputFormat } from '../output';
import { reportWarning } from '../report-error';
import { withClient } from '../with-client';

/** The flags of `sundial events tail`, as commander parses them. */
export interface EventsTailFlags extends ConnectionFlags {
  /** `--type TYPE`, repeatable, each a type or a comma list. @defaultValue every type */
  type: string[];
  /** `--from now|start|ID`. @defaultValue `"now"` */
  from: string;
  /** `-o json|yaml|table`. @defaultValue `"table"` */
  output: string;
}

/** The flags of `sundial events list`. */
export interface EventsListFlags extends ConnectionFlags {
  /** `--type TYPE`, as for `tail`. */
  type: string[];
  /** `--limit N`. @defaultValue `"50"` */
  limit: string;
  /** `-o json|yaml|table`. @defaultValue `"table"` */
  output: string;
}

const MAX_LIMIT = 1_000;

/**
 * The event types of repeated `--type` flags, each a type or a comma-separated list; `'*'` when
 * none is given.
 *
 * @throws ValidationError naming `--type`
 */
export function parseTypeFlags(values: readonly string[]): SundialEventType[] | '*' {
  const types = values.flatMap((value) => value.split(',')).map((type) => type.trim()).filter((type) => type !== '');
  for (const type of types) {
    if (!isSundialEventType(type)) throw new ValidationError('--type', `unknown event type ${JSON.stringify(type)}; expected one of ${SUNDIAL_EVENT_TYPES.join(', ')}`);
  }
  return types.length === 0 ? '*' : [...new Set(types as SundialEventType[])];
}

/**
 * Checks `--from`: `now`, `start` or an event id.
 *
 * @throws ValidationError naming `--from`
 */
export function parseFromFlag(value: string): string {
  try {
    parseSubscriptionStart(value);
    return value;
  } catch (error) {
    if (error instanceof ValidationError) throw new ValidationError('--from', error.problem, { cause: error });
    throw error;
  }
}

/**
 * Follows the event stream: writes each event as it is recorded (JSON: one object per line;
 * YAML: one document per event; table: one aligned line per event under a header) until `stop`
 * settles.
 *
 * @throws whatever ends the subscription other than `stop`
 */
export async function followEvents(
  events: SundialOperations['events'],
  options: { types: SundialEventType[] | '*'; from: string; output: OutputFormat; stop: Promise<unknown> },
  context: CliContext,
): Promise<void> {
  const zone = localZone(context.env);
  const write = (event: SundialEvent): void => {
    if (options.output === 'json') context.stdout.write(formatJson(event));
    else if (options.output === 'yaml') context.stdout.write(`---\n${formatYaml(event)}`);
    else context.stdout.write(tailLine(eventRow(event, zone)));
  };
  const controller = new AbortController();
  const subscription = events.subscribe(options.types, write, {
    from: options.from,
    signal: controller.signal,
    onTrimmed: (gap) => reportWarning(`events after ${gap.after} were trimmed from the capped stream; following from the oldest kept, ${gap.firstId}`, context),
  });
  if (options.output === 'table') context.stdout.write(tailLine(EVENT_COLUMNS.map((column) => column.header)));
  void options.stop.then(() => controller.abort());
  await subscription.done;
}

/**
 * Runs `sundial events tail`: prints events as they are recorded until SIGTERM or SIGINT; a
 * second signal ends the process at once with status 1.
 *
 * @throws ValidationError naming the flag; RedisConnectionError when Redis is unreachable at start
 */
export async function runEventsTail(flags: EventsTailFlags, context: CliContext): Promise<void> {
  const output = parseOutputFormat(flags.output);
  const types = parseTypeFlags(flags.type);
  const from = parseFromFlag(flags.from);
  const stop = listenForStop(context.signals, () => context.exit(ExitCode.UNEXPECTED));
  try {
    await withClient(flags, context, (client) => followEvents(client.events, { types, from, output, stop: stop.first }, context));
  } finally {
    stop.dispose();
  }
}

/**
 * Runs `sundial events list`: the newest events, oldest first.
 *
 * @throws ValidationError naming the flag
 */
export async function runEventsList(flags: EventsListFlags, context: CliContext): Promise<void> {
  const output = parseOutputFormat(flags.output);
  const types = parseTypeFlags(flags.type);
  const limit = parseIntegerFlag(flags.limit, '--limit', 1, MAX_LIMIT);
  const events = await withClient(flags, context, (client) => listEvents(client.events, types, limit));
  context.stdout.write(render(output, { json: () => events, table: () => eventTable(events, localZone(context.env)) }));
}

function listEvents(events: SundialOperations['events'], types: SundialEventType[] | '*', limit: number): Promise<SundialEvent[]> {
  return events.recent(types, { limit });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Adds `sundial events` with `events tail` and `events list`. */
export function registerEventsCommand(program: Command, context: CliContext): Command {
  const events = program.command('events').description("follow or list the namespace's event stream: schedule, run, leader and worker events");
  const typeHelp = 'only events of this type; repeat or give a comma list (default: every type)';
  const tail = events
    .command('tail')
    .description('print events as they are recorded, until SIGTERM or SIGINT')
    .option('--type <type>', typeHelp, collect, [])
    .option('--from <position>', 'now, start (the oldest event kept) or an event id to resume after', 'now');
  addOutputFlag(tail).action((_flags: unknown, self: Command) => runEventsTail(self.optsWithGlobals<EventsTailFlags>(), context));
  const list = events
    .command('list')
    .description('print the newest events, oldest first')
    .option('--type <type>', typeHelp, collect, [])
    .option('--limit <n>', `how many events, 1 to ${MAX_LIMIT}`, '50');
  addOutputFlag(list).action((_flags: unknown, self: Command) => runEventsList(self.optsWithGlobals<EventsListFlags>(), context));
  return events;
}
