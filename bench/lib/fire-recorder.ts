import { summarize, type Summary } from './stats';

/** What a {@link FireRecorder} saw in its window. */
export interface FireTally {
  /** Fire times due in the window: schedules × whole seconds. */
  expected: number;
  /** Distinct fire times handled whose nominal time is in the window. */
  handled: number;
  /** Expected fire times never handled. */
  lost: number;
  /** Handler calls beyond the first for the same fire time. */
  duplicates: number;
  /** First calls that started more than {@link EARLY_TOLERANCE_MS} before their nominal time. */
  early: number;
  /** Lateness (handler start − nominal fire time) of the first call of each fire time, ms. */
  lateness: Summary;
  /** Nominal instants (seconds of the window) whose latest first call started more than {@link SLOW_INSTANT_MS} late. */
  slowInstants: number;
  /** Nominal instants with a fire time handled. */
  instants: number;
  /** The instant whose latest first call started latest: seconds into the window, and that lateness in ms. */
  worstInstant: { atS: number; latenessMs: number } | undefined;
}

/** An instant counts as slow when one of its fire times started more than this late, ms. */
export const SLOW_INSTANT_MS = 100;

/** How far before its nominal time a start still counts as on time: clocks read whole milliseconds. */
export const EARLY_TOLERANCE_MS = 1;

/** The first handler call of one fire time. */
export interface FirstCall {
  key: string;
  nominalMs: number;
  startedMs: number;
}

/**
 * Records handler calls of schedules that fire every second, and counts those whose nominal fire
 * time falls in the measurement window `[startMs, endMs)`.
 */
export class FireRecorder {
  private readonly seen = new Map<string, number>();
  private readonly latenessMs: number[] = [];
  private readonly firsts: FirstCall[] = [];
  private duplicates = 0;
  private startMs = Number.POSITIVE_INFINITY;
  private endMs = Number.POSITIVE_INFINITY;

  /** Sets the window; calls before it is set are ignored. */
  setWindow(startMs: number, endMs: number): void {
    this.startMs = startMs;
    this.endMs = endMs;
  }

  /** A handler started for fire time `key` (unique per schedule and nominal time) at `startedMs`. */
  record(key: string, nominalMs: number, startedMs: number): void {
    if (nominalMs < this.startMs || nominalMs >= this.endMs) return;
    const calls = this.seen.get(key) ?? 0;
    this.seen.set(key, calls + 1);
    if (calls > 0) this.duplicates++;
    else {
      this.latenessMs.push(startedMs - nominalMs);
      this.firsts.push({ key, nominalMs, startedMs });
    }
  }

  /** The first call of each fire time in the window. */
  firstCalls(): readonly FirstCall[] {
    return this.firsts;
  }

  /** The counts for `schedules` schedules firing every `periodMs`. */
  tally(schedules: number, periodMs = 1_000): FireTally {
    const expected = schedules * Math.round((this.endMs - this.startMs) / periodMs);
    const handled = this.seen.size;
    const early = this.latenessMs.filter((lateness) => lateness < -EARLY_TOLERANCE_MS).length;
    // The latest start of each nominal instant: whether a tail comes from a few slow instants or from all.
    const latestByInstant = new Map<number, number>();
    for (const { nominalMs, startedMs } of this.firsts) latestByInstant.set(nominalMs, Math.max(latestByInstant.get(nominalMs) ?? Number.NEGATIVE_INFINITY, startedMs - nominalMs));
    let worstInstant: FireTally['worstInstant'];
    for (const [nominalMs, latenessMs] of latestByInstant) {
      if (!worstInstant || latenessMs > worstInstant.latenessMs) worstInstant = { atS: Math.round((nominalMs - this.startMs) / 1_000), latenessMs };
    }
    const slowInstants = [...latestByInstant.values()].filter((latenessMs) => latenessMs > SLOW_INSTANT_MS).length;
    return {
      expected,
      handled,
      lost: Math.max(0, expected - handled),
      duplicates: this.duplicates,
      early,
      lateness: summarize(this.latenessMs),
      slowInstants,
      instants: latestByInstant.size,
      worstInstant,
    };
  }
}
