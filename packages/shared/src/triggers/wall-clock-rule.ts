import { DAY_MS } from '../time/civil';
import type { TimeZone } from '../time/time-zone';

/**
 * A rule that matches local wall-clock readings (cron fields, a calendar cycle), independent of
 * any zone. Wall times are encoded as in `time/civil.ts`.
 */
export interface WallClockRule {
  /** The earliest matching wall time `>= fromWall` and `< untilWall`, if any. */
  nextWall(fromWall: number, untilWall: number): number | undefined;
  /**
   * A fixed-time rule fires once per matching local time: when the time falls in a daylight-saving
   * gap it fires at the first instant after the gap, and when the time occurs twice it fires at
   * the first occurrence only. Other rules fire at every instant whose wall time matches, so they
   * skip the gap and fire in both occurrences of a repeated hour.
   */
  readonly fixedTime: boolean;
}

/**
 * The first instant strictly after `afterMs` (and before `untilMs`) at which `rule` fires in
 * `zone`, under the ISC cron daylight-saving rules described on `WallClockRule.fixedTime`.
 *
 * It walks the zone's constant-offset segments; inside one segment wall time and instants map
 * one to one, so the only special cases are at segment starts.
 */
export function nextInstantOfRule(rule: WallClockRule, zone: TimeZone, afterMs: number, untilMs: number): number | undefined {
  let segment = zone.segmentAt(afterMs);
  for (;;) {
    const { start, end, offset, offsetBefore } = segment;
    if (start > afterMs && rule.fixedTime && offsetBefore < offset) {
      // Clocks sprang forward at `start`: the wall times in between never showed, so a fixed-time
      // rule due in them fires at `start`, the first instant after the gap.
      if (rule.nextWall(start + offsetBefore, start + offset) !== undefined) return start < untilMs ? start : undefined;
    }
    let fromWall = Math.max(afterMs + 1, start) + offset;
    if (rule.fixedTime && offsetBefore > offset) {
      // Clocks fell back at `start`: wall times up to `start + offsetBefore` already showed once,
      // before the transition, and a fixed-time rule does not fire at them again.
      fromWall = Math.max(fromWall, start + offsetBefore);
    }
    const segmentEnd = Math.min(end, untilMs);
    const wall = rule.nextWall(fromWall, segmentEnd + offset);
    if (wall !== undefined) return wall - offset;
    if (segmentEnd >= untilMs || end === Infinity) return undefined;
    // Skip the segments before the next matching wall time, wherever it falls: offsets differ by
    // less than a day, so no instant before `wall - DAY_MS` can fire (not even a gap start).
    const untilWall = untilMs === Infinity ? Infinity : untilMs + DAY_MS;
    const nextWall = rule.nextWall(end + offset - DAY_MS, untilWall);
    if (nextWall === undefined) return undefined;
    segment = zone.segmentAt(Math.max(end, nextWall - DAY_MS - offset));
  }
}

/**
 * The instant a fixed-time local reading denotes in `zone`: its first occurrence when the reading
 * occurs twice, the first instant after the gap when it does not occur at all.
 */
export function instantOfWallTime(zone: TimeZone, wall: number): number {
  const single: WallClockRule = {
    fixedTime: true,
    nextWall: (from, until) => (from <= wall && wall < until ? wall : undefined),
  };
  const guess = wall - zone.offsetAt(wall);
  // Transitions move offsets by at most a day, so the reading lies within a day of `guess`.
  const instant = nextInstantOfRule(single, zone, guess - 2 * 86_400_000, guess + 2 * 86_400_000);
  if (instant === undefined) throw new RangeError(`wall time ${wall} has no instant in ${zone.name}`);
  return instant;
}
