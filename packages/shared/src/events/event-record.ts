import { isSundialEventType, type SundialEvent } from './event-types';

/** The fields of an event that hold epoch ms and are given as ISO-8601. */
const TIME_FIELDS = new Set(['time', 'fireTime']);
/** The fields of an event that hold numbers. */
const NUMBER_FIELDS = new Set(['count', 'attempt', 'epoch']);
/** The fields of an event that hold text. */
const TEXT_FIELDS = new Set(['scheduleId', 'runId', 'status', 'reason', 'task', 'error', 'worker', 'coordinator']);

/**
 * Reads one entry of the events stream, as `XRANGE` or `XREAD` return it (its id and a flat
 * field-value array), into a `SundialEvent`: times as ISO-8601, counts as numbers, empty fields
 * left out. Returns undefined for an entry whose type is not one of `SUNDIAL_EVENT_TYPES` (written
 * by another version of Sundial, or by hand), so readers skip it.
 */
export function parseEventEntry(id: string, fields: readonly string[]): SundialEvent | undefined {
  const event: Record<string, string | number> = {};
  let type: string | undefined;
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const name = fields[i] as string;
    const value = fields[i + 1] as string;
    if (name === 'type') type = value;
    else if (value === '') continue;
    else if (TIME_FIELDS.has(name)) {
      const ms = Number(value);
      if (Number.isFinite(ms)) event[name] = new Date(ms).toISOString();
    } else if (NUMBER_FIELDS.has(name)) {
      const number = Number(value);
      if (Number.isFinite(number)) event[name] = number;
    } else if (TEXT_FIELDS.has(name)) event[name] = value;
  }
  if (type === undefined || !isSundialEventType(type)) return undefined;
  // An entry without a time takes it from its id, whose first part is the ms Redis added it at.
  const { time = new Date(Number(id.split('-')[0])).toISOString(), ...rest } = event;
  return { id, type, time, ...rest } as SundialEvent;
}
