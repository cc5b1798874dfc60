import { DAY_SECONDS, SECOND_MS, civilFromDays, daysFromCivil, daysInMonth } from '../time/civil';
import type { WallClockRule } from './wall-clock-rule';

/** The unit of a calendar cycle. */
export type CalendarUnit = 'years' | 'months' | 'weeks' | 'days';

/** A calendar cycle: every `step` units from an anchor date, at a wall-clock time of day. */
export interface CalendarCycle {
  readonly unit: CalendarUnit;
  readonly step: number;
  /** Day number (days since 1970-01-01) of the first date of the cycle. */
  readonly anchorDays: number;
  /** Second of the day, 0-86399. */
  readonly secondOfDay: number;
}

/** Dates that do not exist (February 30) are skipped; this bounds the search for the next one that does. */
const MAX_SKIPPED_DATES = 4_800;

/**
 * Every N years, months, weeks or days at a fixed local time, keeping the anchor's day of the
 * month: monthly from January 31 fires on the 31st of the months that have one. It is a
 * fixed-time rule (see `WallClockRule.fixedTime`).
 */
export class CalendarRule implements WallClockRule {
  readonly fixedTime = true;
  private readonly anchor;

  constructor(readonly cycle: CalendarCycle) {
    this.anchor = civilFromDays(cycle.anchorDays);
  }

  nextWall(fromWall: number, untilWall: number): number | undefined {
    let index = Math.max(0, this.indexBefore(fromWall));
    for (let skipped = 0; skipped <= MAX_SKIPPED_DATES; index++) {
      const days = this.daysOfOccurrence(index);
      if (days === undefined) {
        skipped++;
        continue;
      }
      const wall = (days * DAY_SECONDS + this.cycle.secondOfDay) * SECOND_MS;
      if (wall >= untilWall) return undefined;
      if (wall >= fromWall) return wall;
    }
    return undefined;
  }

  /** An occurrence index at or before the first one at `fromWall`, so the search starts close. */
  private indexBefore(fromWall: number): number {
    const { unit, step, anchorDays } = this.cycle;
    const fromDays = Math.floor(fromWall / (DAY_SECONDS * SECOND_MS));
    if (unit === 'days' || unit === 'weeks') {
      const period = unit === 'weeks' ? 7 * step : step;
      return Math.floor((fromDays - anchorDays) / period);
    }
    const from = civilFromDays(fromDays);
    const months = (from.year - this.anchor.year) * 12 + (from.month - this.anchor.month);
    return Math.floor(months / (unit === 'years' ? 12 * step : step));
  }

  /** The day number of occurrence `index`, or undefined when that date does not exist. */
  private daysOfOccurrence(index: number): number | undefined {
    const { unit, step, anchorDays } = this.cycle;
    if (unit === 'days') return anchorDays + index * step;
    if (unit === 'weeks') return anchorDays + index * step * 7;
    const monthIndex = this.anchor.month - 1 + index * step * (unit === 'years' ? 12 : 1);
    const year = this.anchor.year + Math.floor(monthIndex / 12);
    const month = (monthIndex % 12) + 1;
    if (this.anchor.day > daysInMonth(year, month)) return undefined;
    return daysFromCivil(year, month, this.anchor.day);
  }
}
