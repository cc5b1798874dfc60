import type { Schedule, ScheduleSpec } from '@sundial/shared';
import type { DesiredSchedule } from './schedule-entries';

/** A schedule the declared list changes, and how. */
export interface ScheduleUpdate {
  /** The declared entry. */
  readonly entry: DesiredSchedule;
  /** The fields that differ, in spec order, `paused` last. */
  readonly fields: readonly string[];
  /** Whether the definition changed (else only the paused state). */
  readonly specChanged: boolean;
}

/** What applying a declared list of schedules (a schedule file) does to the schedules in Redis. */
export interface ScheduleDiff {
  /** Entries whose id is absent: added. */
  readonly create: readonly DesiredSchedule[];
  /** Entries that differ from the stored schedule: updated, paused or resumed. */
  readonly update: readonly ScheduleUpdate[];
  /** Ids of entries that match the stored schedule. */
  readonly unchanged: readonly string[];
  /** Ids of stored schedules not in the list: removed when pruning, else listed in {@link ScheduleDiff.extra}. */
  readonly remove: readonly string[];
  /** Ids of stored schedules not in the list that stay, when not pruning. */
  readonly extra: readonly string[];
}

/** The parts of a schedule that are its definition, without its state. */
export function scheduleSpecOf(schedule: Schedule): Omit<Schedule, 'state'> {
  const spec: Omit<Schedule, 'state'> & { state?: Schedule['state'] } = { ...schedule };
  delete spec.state;
  return spec;
}

/** JSON with object keys sorted, so two equal values give the same text whatever their key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner !== null && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}

/** The spec fields that differ between two schedule definitions, in the order of `desired`'s keys. */
export function changedFields(desired: ScheduleSpec, stored: Omit<Schedule, 'state'>): string[] {
  const keys = [...new Set([...Object.keys(desired), ...Object.keys(stored)])].filter((key) => key !== 'id');
  return keys.filter((key) => canonical((desired as unknown as Record<string, unknown>)[key]) !== canonical((stored as Record<string, unknown>)[key]));
}

/**
 * Compares the validated entries of a declared list with the schedules stored in Redis. An
 * entry's definition is compared field by field with the stored one, its state aside; its
 * paused state only when the entry sets `paused`.
 *
 * @param prune - whether stored schedules missing from the list are to be removed
 */
export function diffSchedules(entries: readonly DesiredSchedule[], stored: readonly Schedule[], prune: boolean): ScheduleDiff {
  const storedById = new Map(stored.map((schedule) => [schedule.id, schedule]));
  const inFile = new Set(entries.map((entry) => entry.spec.id));
  const create: DesiredSchedule[] = [];
  const update: ScheduleUpdate[] = [];
  const unchanged: string[] = [];
  for (const entry of entries) {
    const current = storedById.get(entry.spec.id);
    if (current === undefined) {
      create.push(entry);
      continue;
    }
    const fields = changedFields(entry.spec, scheduleSpecOf(current));
    const specChanged = fields.length > 0;
    if (entry.paused !== undefined && entry.paused !== current.state.paused) fields.push('paused');
    if (fields.length === 0) unchanged.push(entry.spec.id);
    else update.push({ entry, fields, specChanged });
  }
  const missing = stored.map((schedule) => schedule.id).filter((id) => !inFile.has(id));
  return { create, update, unchanged, remove: prune ? missing : [], extra: prune ? [] : missing };
}
