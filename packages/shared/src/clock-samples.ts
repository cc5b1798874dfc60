/** One reading of Redis `TIME`: the offset it implies, the round trip it took, and when (monotonic ms). */
export interface ClockSample {
  /** Redis time minus local time at the round trip's midpoint, ms. */
  readonly offsetMs: number;
  readonly roundTripMs: number;
  /** `performance.now()` when the reading was taken. */
  readonly takenAtMs: number;
}

/** How many recent readings the offset is chosen from. */
export const CLOCK_SAMPLES_KEPT = 32;
/** How fast the two clocks may drift apart, as a fraction (100 ppm: far more than NTP-kept clocks do). */
export const CLOCK_DRIFT_ALLOWANCE = 100e-6;

/** The best estimate of a clock offset, and how far from the truth it may be. */
export interface OffsetEstimate {
  /** Redis time minus local time, ms (not rounded). */
  readonly offsetMs: number;
  /** How far the true offset may be from `offsetMs`, ms: half the reading's round trip plus drift since. */
  readonly boundMs: number;
}

/**
 * The recent readings of a clock offset, and the best estimate they give. A reading is off by
 * up to half its round trip: a reply that waited behind other commands in a busy Redis makes the
 * midpoint a poor guess of when `TIME` ran. As NTP's clock filter does, the estimate is the
 * offset of the reading with the smallest error bound: half its round trip, plus what the clocks
 * may have drifted since it was taken ({@link CLOCK_DRIFT_ALLOWANCE}). So one quick reading keeps
 * being used through minutes of slow ones, and a fresher one replaces it.
 */
export class ClockSamples {
  private readonly samples: ClockSample[] = [];

  /** Adds a reading and returns the estimate at its time. */
  add(sample: ClockSample): number {
    this.samples.push(sample);
    if (this.samples.length > CLOCK_SAMPLES_KEPT) this.samples.shift();
    return this.offsetAt(sample.takenAtMs);
  }

  /** The offset of the reading with the smallest error bound at `nowMs` (monotonic), rounded to the ms; 0 before any. */
  offsetAt(nowMs: number): number {
    return Math.round(this.estimateAt(nowMs).offsetMs);
  }

  /** The offset of the reading with the smallest error bound at `nowMs` (monotonic), with that bound; both 0 before any. */
  estimateAt(nowMs: number): OffsetEstimate {
    let best: OffsetEstimate | undefined;
    for (const sample of this.samples) {
      const boundMs = sample.roundTripMs / 2 + (nowMs - sample.takenAtMs) * CLOCK_DRIFT_ALLOWANCE;
      if (best === undefined || boundMs < best.boundMs) best = { offsetMs: sample.offsetMs, boundMs };
    }
    return best ?? { offsetMs: 0, boundMs: 0 };
  }
}
