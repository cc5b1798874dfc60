import type { ScheduleSpec } from './schedule-spec';

/** A schedule as Redis holds it: its definition and the state the coordinator keeps. */
export interface StoredSchedule {
  readonly spec: ScheduleSpec;
  /** Incremented by every change made through the client; the leader commits only on the version it read. */
  readonly version: number;
  readonly paused: boolean;
  readonly pausedAtMs: number | undefined;
  /** Fire times after this nominal time are still to come (it moves on at creation and on resume too). */
  readonly lastNominalMs: number;
  /** Nominal time of the last fire time actually handled (run, missed or skipped); undefined before the first. */
  readonly lastFireMs: number | undefined;
  /** The next nominal fire time; undefined when the trigger is done. */
  readonly nextNominalMs: number | undefined;
  /** The next fire time with jitter; what the `due` set is scored by. */
  readonly nextAtMs: number | undefined;
  /** The last tick left due fire times for the next one (see `FirePlan.backlog`). */
  readonly inBacklog: boolean;
  readonly createdAtMs: number;
  readonly updatedAtMs: number;
  readonly counters: { readonly enqueued: number; readonly missed: number; readonly skipped: number; readonly paused: number };
}

/** A schedule as the client, the CLI and the API show it. */
export interface Schedule extends ScheduleSpec {
  readonly state: {
    readonly paused: boolean;
    readonly pausedAt: string | null;
    /** ISO-8601 nominal time of the next fire, null when the trigger is done. */
    readonly nextFireTime: string | null;
    /** ISO-8601 time the next fire is due, jitter included. */
    readonly nextFireAt: string | null;
    /** ISO-8601 nominal time of the last fire time handled by the coordinator (run, missed or skipped); null before the first. */
    readonly lastFireTime: string | null;
    readonly enqueued: number;
    readonly missed: number;
    readonly skipped: number;
    /** Fire times that passed while it was paused (resumed with `catchUp: 'none'`). */
    readonly pausedFires: number;
    readonly version: number;
    readonly createdAt: string;
    readonly updatedAt: string;
  };
}

const optionalNumber = (text: string | undefined) => (text === undefined || text === '' ? undefined : Number(text));
const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());

/**
 * Reads a schedule from its state hash (`HGETALL` of `keys.schedule(id)`) and its definition
 * (`GET` of `keys.definition(id)`). A schedule written before the definition had a key of its own
 * holds it in the hash's field `spec`, read when `definition` is null.
 *
 * @returns undefined when the hash is empty (no such schedule) or no definition is found
 */
export function parseStoredSchedule(hash: Record<string, string>, definition: string | null | undefined): StoredSchedule | undefined {
  if (Object.keys(hash).length === 0) return undefined;
  const json = definition ?? hash.spec;
  if (!json) return undefined;
  return storedSchedule(hash, JSON.parse(json) as ScheduleSpec);
}

/** A schedule from its state hash (not empty) and its definition, already parsed. */
export function storedSchedule(hash: Record<string, string>, spec: ScheduleSpec): StoredSchedule {
  return {
    spec,
    version: Number(hash.version ?? 0),
    paused: hash.paused === '1',
    pausedAtMs: optionalNumber(hash.pausedAt),
    lastNominalMs: Number(hash.last ?? 0),
    lastFireMs: optionalNumber(hash.lastFire),
    nextNominalMs: optionalNumber(hash.next),
    nextAtMs: optionalNumber(hash.nextAt),
    inBacklog: hash.backlog === '1',
    createdAtMs: Number(hash.createdAt ?? 0),
    updatedAtMs: Number(hash.updatedAt ?? 0),
    counters: {
      enqueued: Number(hash.enqueued ?? 0),
      missed: Number(hash.missed ?? 0),
      skipped: Number(hash.skipped ?? 0),
      paused: Number(hash.pausedFires ?? 0),
    },
  };
}

/** The public view of a stored schedule. */
export function toSchedule(stored: StoredSchedule): Schedule {
  return {
    ...stored.spec,
    state: {
      paused: stored.paused,
      pausedAt: iso(stored.pausedAtMs),
      nextFireTime: iso(stored.nextNominalMs),
      nextFireAt: iso(stored.nextAtMs),
      lastFireTime: iso(stored.lastFireMs),
      enqueued: stored.counters.enqueued,
      missed: stored.counters.missed,
      skipped: stored.counters.skipped,
      pausedFires: stored.counters.paused,
      version: stored.version,
      createdAt: new Date(stored.createdAtMs).toISOString(),
      updatedAt: new Date(stored.updatedAtMs).toISOString(),
    },
  };
}
