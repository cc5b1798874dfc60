import type { ScheduleSpec } from '../schedule/schedule-spec';

/** How many definitions a {@link DefinitionCache} keeps unless told otherwise: about 25 MiB at most. */
export const DEFAULT_DEFINITION_CACHE_SIZE = 50_000;

/**
 * Parsed schedule definitions by schedule id, each with the state it was read at (`version` and
 * `createdAt` of the schedule's hash): every change of a definition increments the version, and a
 * schedule removed and added again starts over at version 1 with a new `createdAt`. The leader
 * reads a due schedule's hash every time it fires; while the hash says the same, the definition
 * is taken from here instead of read and parsed again. Bounded: the entry used longest ago goes
 * first, so memory stays flat however many schedules there are.
 */
export class DefinitionCache {
  private readonly entries = new Map<string, { readonly stamp: string; readonly spec: ScheduleSpec }>();

  constructor(private readonly capacity = DEFAULT_DEFINITION_CACHE_SIZE) {}

  /** Whether a definition of `id` is kept, whatever its state. */
  has(id: string): boolean {
    return this.entries.has(id);
  }

  /** The definition of `id` when it was kept at the state `hash` shows. */
  get(id: string, hash: Readonly<Record<string, string>>): ScheduleSpec | undefined {
    const entry = this.entries.get(id);
    if (!entry || entry.stamp !== stampOf(hash)) return undefined;
    // Moved to the end: the most recently used.
    this.entries.delete(id);
    this.entries.set(id, entry);
    return entry.spec;
  }

  /** Keeps the definition of `id` as read with `hash`. */
  set(id: string, hash: Readonly<Record<string, string>>, spec: ScheduleSpec): void {
    this.entries.delete(id);
    this.entries.set(id, { stamp: stampOf(hash), spec });
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
  }

  /** How many definitions are kept. */
  get size(): number {
    return this.entries.size;
  }
}

function stampOf(hash: Readonly<Record<string, string>>): string {
  return `${hash.version ?? ''}|${hash.createdAt ?? ''}`;
}
