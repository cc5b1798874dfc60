import { TriggerIterationLimitError } from '../errors';
import type { TimeZone } from '../time/time-zone';
import { nextInstantOfRule, type WallClockRule } from './wall-clock-rule';

/** Fire times are searched no further than this after the current one: 401 years. */
export const SEARCH_HORIZON_MS = 401 * 366 * 86_400_000;

/** How many rounds an `and` trigger tries to make its members agree before giving up. */
export const AND_ITERATION_LIMIT = 10_000;

/** A trigger's nominal (unjittered) fire times, as epoch milliseconds. */
export interface NominalTrigger {
  /** The first fire time strictly after `afterMs` and before `untilMs`, if any. */
  next(afterMs: number, untilMs: number): number | undefined;
}

/** A wall-clock rule (cron, calendar) read in a time zone. */
export class ZonedRuleTrigger implements NominalTrigger {
  constructor(
    private readonly rule: WallClockRule,
    private readonly zone: TimeZone,
  ) {}

  next(afterMs: number, untilMs: number): number | undefined {
    return nextInstantOfRule(this.rule, this.zone, afterMs, Math.min(untilMs, afterMs + SEARCH_HORIZON_MS));
  }
}

/** Every `periodMs` of elapsed time from `anchorMs`, which is itself a fire time. */
export class IntervalTrigger implements NominalTrigger {
  constructor(
    private readonly anchorMs: number,
    private readonly periodMs: number,
  ) {}

  next(afterMs: number, untilMs: number): number | undefined {
    const steps = afterMs < this.anchorMs ? 0 : Math.floor((afterMs - this.anchorMs) / this.periodMs) + 1;
    const next = this.anchorMs + steps * this.periodMs;
    return next < untilMs ? next : undefined;
  }
}

/** Once, at `atMs`. */
export class DateTrigger implements NominalTrigger {
  constructor(private readonly atMs: number) {}

  next(afterMs: number, untilMs: number): number | undefined {
    return this.atMs > afterMs && this.atMs < untilMs ? this.atMs : undefined;
  }
}

/** Restricts a trigger to `startMs <= t <= endMs`. */
export class BoundedTrigger implements NominalTrigger {
  constructor(
    private readonly inner: NominalTrigger,
    private readonly startMs: number | undefined,
    private readonly endMs: number | undefined,
  ) {}

  next(afterMs: number, untilMs: number): number | undefined {
    const from = this.startMs === undefined ? afterMs : Math.max(afterMs, this.startMs - 1);
    const until = this.endMs === undefined ? untilMs : Math.min(untilMs, this.endMs + 1);
    return from < until ? this.inner.next(from, until) : undefined;
  }
}

/** The instants every member fires at. */
export class AllOfTrigger implements NominalTrigger {
  constructor(private readonly members: readonly NominalTrigger[]) {}

  next(afterMs: number, untilMs: number): number | undefined {
    let after = afterMs;
    for (let round = 0; round < AND_ITERATION_LIMIT; round++) {
      let earliest = Infinity;
      let latest = -Infinity;
      for (const member of this.members) {
        const next = member.next(after, untilMs);
        if (next === undefined) return undefined;
        earliest = Math.min(earliest, next);
        latest = Math.max(latest, next);
      }
      if (earliest === latest) return latest;
      // No member fires in (after, latest) at an instant all agree on; resume just before `latest`.
      after = latest - 1;
    }
    throw new TriggerIterationLimitError(AND_ITERATION_LIMIT, afterMs);
  }
}

/** The instants any member fires at, each once. */
export class AnyOfTrigger implements NominalTrigger {
  constructor(private readonly members: readonly NominalTrigger[]) {}

  next(afterMs: number, untilMs: number): number | undefined {
    let earliest: number | undefined;
    for (const member of this.members) {
      const next = member.next(afterMs, earliest ?? untilMs);
      if (next !== undefined && (earliest === undefined || next < earliest)) earliest = next;
    }
    return earliest;
  }
}
