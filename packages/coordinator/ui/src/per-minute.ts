/** Counts of events per minute, for the cluster charts. Pure: the clock comes in as an argument. */

/** A minute and how many events fell in it. */
export interface MinuteCount {
  /** The minute's start, epoch ms. */
  readonly minuteMs: number;
  readonly count: number;
}

const MINUTE_MS = 60_000;

/**
 * How many of `events` fell in each of the last `minutes` whole minutes up to `nowMs` (the
 * current, partial minute last). An event counts `count` times when it stands for a range.
 */
export function perMinute(events: readonly { readonly time: string; readonly count?: number }[], nowMs: number, minutes: number): MinuteCount[] {
  const last = Math.floor(nowMs / MINUTE_MS) * MINUTE_MS;
  const first = last - (minutes - 1) * MINUTE_MS;
  const counts = new Array<number>(minutes).fill(0);
  for (const event of events) {
    const at = Date.parse(event.time);
    if (!Number.isFinite(at) || at < first || at >= last + MINUTE_MS) continue;
    const index = Math.floor((at - first) / MINUTE_MS);
    counts[index] = (counts[index] ?? 0) + (event.count ?? 1);
  }
  return counts.map((count, index) => ({ minuteMs: first + index * MINUTE_MS, count }));
}
