import { TimeZone, type SundialEvent } from '@sundial/shared';
import { formatZonedTime } from './format-time';
import type { Table, TableColumn } from './output';

/** The columns of events for people: when, what, which schedule and run, and the rest. */
export const EVENT_COLUMNS: readonly TableColumn[] = [{ header: 'TIME' }, { header: 'TYPE' }, { header: 'SCHEDULE' }, { header: 'RUN' }, { header: 'NOTE' }];

/** Widths of the columns of `events tail`, which prints a line per event as it comes (the last column is free). */
const TAIL_WIDTHS = [26, 16, 20, 30] as const;

/**
 * The zone local times are shown in: `TZ` when it names a zone, else the system's.
 *
 * @param env - the command's environment
 */
export function localZone(env: Readonly<Record<string, string | undefined>>): TimeZone {
  for (const name of [env.TZ, Intl.DateTimeFormat().resolvedOptions().timeZone]) {
    if (!name) continue;
    try {
      return TimeZone.of(name);
    } catch {
      // Not a zone name (`TZ` may hold a POSIX rule); try the next.
    }
  }
  return TimeZone.of('UTC');
}

/** The status, reason and other fields of an event that have no column, e.g. `failed; attempt 3; Error: boom`. */
function eventNote(event: SundialEvent): string {
  const parts: string[] = [];
  if (event.status !== undefined) parts.push(event.status);
  if (event.reason !== undefined) parts.push(event.reason);
  if (event.count !== undefined && event.count > 1) parts.push(`${event.count} fire times`);
  if (event.attempt !== undefined) parts.push(`attempt ${event.attempt}`);
  if (event.task !== undefined) parts.push(`task ${event.task}`);
  if (event.worker !== undefined) parts.push(`worker ${event.worker}`);
  if (event.coordinator !== undefined) parts.push(`coordinator ${event.coordinator}`);
  if (event.epoch !== undefined) parts.push(`epoch ${event.epoch}`);
  if (event.error !== undefined) parts.push(event.error);
  return parts.join('; ');
}

/** One event as table cells, its time to the second in `zone`. */
export function eventRow(event: SundialEvent, zone: TimeZone): string[] {
  const seconds = Math.floor(Date.parse(event.time) / 1000) * 1000;
  return [formatZonedTime(seconds, zone), event.type, event.scheduleId ?? '-', event.runId ?? '-', eventNote(event)];
}

/** Events as a table, oldest first. */
export function eventTable(events: readonly SundialEvent[], zone: TimeZone): Table {
  return { columns: EVENT_COLUMNS, rows: events.map((event) => eventRow(event, zone)), empty: 'no events' };
}

/** Cells as one line in the fixed widths of `events tail`, ending with a newline. */
export function tailLine(cells: readonly string[]): string {
  return `${cells.map((cell, index) => cell.padEnd(TAIL_WIDTHS[index] ?? 0)).join('  ').trimEnd()}\n`;
}
