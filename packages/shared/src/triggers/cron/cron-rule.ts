import { DAY_MS, DAY_SECONDS, SECOND_MS, civilFromDays, daysFromCivil, daysInMonth, weekdayOfDays } from '../../time/civil';
import type { WallClockRule } from '../wall-clock-rule';
import type { CronPattern } from './cron-pattern';

/** 400 Gregorian years: the calendar, weekdays included, repeats after this many days. */
export const GREGORIAN_CYCLE_DAYS = 146_097;

/** For each value, the smallest allowed value at or above it, or -1; one extra slot holds -1. */
function nextAllowedTable(allowed: Uint8Array): Int8Array {
  const table = new Int8Array(allowed.length + 1).fill(-1);
  for (let value = allowed.length - 1; value >= 0; value--) {
    table[value] = allowed[value] ? value : (table[value + 1] ?? -1);
  }
  return table;
}

/** The day (1-31) that `nW` or `LW` selects in a month: the nearest Monday-Friday, within the month. */
function nearestWeekdayDay(year: number, month: number, target: number | 'last'): number | undefined {
  const length = daysInMonth(year, month);
  const day = target === 'last' ? length : target;
  if (day > length) return undefined;
  const weekday = weekdayOfDays(daysFromCivil(year, month, day));
  if (weekday === 6) return day === 1 ? day + 2 : day - 1;
  if (weekday === 0) return day === length ? day - 2 : day + 1;
  return day;
}

/**
 * Matches a cron pattern against wall-clock time, with the Vixie day rule: when the day-of-month
 * or day-of-week field starts with `*` (or is `?`) a day must match both fields, otherwise it
 * may match either.
 */
export class CronRule implements WallClockRule {
  readonly fixedTime: boolean;
  private readonly nextSecond: Int8Array;
  private readonly nextMinute: Int8Array;
  private readonly nextHour: Int8Array;
  private readonly nextMonth: Int8Array;

  constructor(readonly pattern: CronPattern) {
    this.fixedTime = pattern.fixedTime;
    this.nextSecond = nextAllowedTable(pattern.seconds);
    this.nextMinute = nextAllowedTable(pattern.minutes);
    this.nextHour = nextAllowedTable(pattern.hours);
    this.nextMonth = nextAllowedTable(pattern.months);
  }

  nextWall(fromWall: number, untilWall: number): number | undefined {
    const fromSeconds = Math.ceil(fromWall / SECOND_MS);
    let days = Math.floor(fromSeconds / DAY_SECONDS);
    let secondOfDay = fromSeconds - days * DAY_SECONDS;
    const lastDay = Math.min(Math.floor((untilWall - 1) / DAY_MS), days + GREGORIAN_CYCLE_DAYS);
    while (days <= lastDay) {
      const { year, month, day } = civilFromDays(days);
      if (!this.pattern.months[month]) {
        const next = this.nextMonth[month] ?? -1;
        days = next > 0 ? daysFromCivil(year, next, 1) : daysFromCivil(year + 1, this.nextMonth[1] ?? 1, 1);
        secondOfDay = 0;
        continue;
      }
      if (this.dayMatches(year, month, day, days)) {
        const second = this.nextSecondOfDay(secondOfDay);
        if (second >= 0) {
          const wall = (days * DAY_SECONDS + second) * SECOND_MS;
          return wall < untilWall ? wall : undefined;
        }
      }
      days += 1;
      secondOfDay = 0;
    }
    return undefined;
  }

  /** Whether a calendar day matches the day-of-month and day-of-week fields. */
  dayMatches(year: number, month: number, day: number, days: number): boolean {
    const { dayOfMonthStar, dayOfWeekStar } = this.pattern;
    if (dayOfMonthStar || dayOfWeekStar) {
      return this.dayOfMonthMatches(year, month, day) && this.dayOfWeekMatches(year, month, day, days);
    }
    return this.dayOfMonthMatches(year, month, day) || this.dayOfWeekMatches(year, month, day, days);
  }

  private dayOfMonthMatches(year: number, month: number, day: number): boolean {
    const pattern = this.pattern;
    if (pattern.daysOfMonth[day]) return true;
    if (pattern.lastDayOfMonth && day === daysInMonth(year, month)) return true;
    return pattern.nearestWeekday !== undefined && nearestWeekdayDay(year, month, pattern.nearestWeekday) === day;
  }

  private dayOfWeekMatches(year: number, month: number, day: number, days: number): boolean {
    const pattern = this.pattern;
    const weekday = weekdayOfDays(days);
    if (pattern.lastWeekdays[weekday] && day + 7 > daysInMonth(year, month)) return true;
    if (!pattern.weekdays[weekday]) return false;
    return pattern.nthWeekday === 0 || Math.ceil(day / 7) === pattern.nthWeekday;
  }

  /** The first matching second of the day at or after `secondOfDay`, or -1. */
  private nextSecondOfDay(secondOfDay: number): number {
    let hour = Math.floor(secondOfDay / 3600);
    let minute = Math.floor((secondOfDay % 3600) / 60);
    let second = secondOfDay % 60;
    for (;;) {
      const nextHour = this.nextHour[hour] ?? -1;
      if (nextHour < 0) return -1;
      if (nextHour !== hour) {
        hour = nextHour;
        minute = 0;
        second = 0;
      }
      const nextMinute = this.nextMinute[minute] ?? -1;
      if (nextMinute < 0) {
        hour += 1;
        minute = 0;
        second = 0;
        continue;
      }
      if (nextMinute !== minute) {
        minute = nextMinute;
        second = 0;
      }
      const nextSecond = this.nextSecond[second] ?? -1;
      if (nextSecond < 0) {
        minute += 1;
        second = 0;
        continue;
      }
      return hour * 3600 + minute * 60 + nextSecond;
    }
  }
}
