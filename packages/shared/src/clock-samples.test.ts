import { CLOCK_DRIFT_ALLOWANCE, CLOCK_SAMPLES_KEPT, ClockSamples } from './clock-samples';

describe('ClockSamples', () => {
  it('is 0 before any reading', () => {
    expect(new ClockSamples().offsetAt(0)).toBe(0);
  });

  it('takes the offset of the reading with the smallest error bound: half its round trip', () => {
    const samples = new ClockSamples();
    expect(samples.add({ offsetMs: 2, roundTripMs: 1, takenAtMs: 0 })).toBe(2);
    // A reply that waited 40 ms behind other commands: its midpoint is 20 ms off, and it is not taken.
    expect(samples.add({ offsetMs: 22, roundTripMs: 40, takenAtMs: 5_000 })).toBe(2);
    expect(samples.add({ offsetMs: 3.4, roundTripMs: 0.5, takenAtMs: 10_000 })).toBe(3);
  });

  it('lets an old quick reading give way to a fresh one as the clocks may have drifted meanwhile', () => {
    const samples = new ClockSamples();
    samples.add({ offsetMs: 5, roundTripMs: 0.2, takenAtMs: 0 });
    // 5 s later a 2 ms round trip (bound 1 ms) loses to the old one (0.1 ms + 0.5 ms of drift allowance)...
    expect(samples.add({ offsetMs: 9, roundTripMs: 2, takenAtMs: 5_000 })).toBe(5);
    // ...and 60 s later (against 0.1 + 6 ms) wins.
    expect(samples.add({ offsetMs: 9, roundTripMs: 2, takenAtMs: 60_000 })).toBe(9);
  });

  it(`forgets readings beyond the last ${CLOCK_SAMPLES_KEPT}`, () => {
    const samples = new ClockSamples();
    samples.add({ offsetMs: 5, roundTripMs: 0, takenAtMs: 0 });
    for (let i = 1; i < CLOCK_SAMPLES_KEPT; i++) expect(samples.add({ offsetMs: 9, roundTripMs: 2, takenAtMs: i })).toBe(5);
    expect(samples.add({ offsetMs: 9, roundTripMs: 2, takenAtMs: CLOCK_SAMPLES_KEPT })).toBe(9);
  });

  it('gives the chosen offset with its error bound: half the round trip plus the drift since', () => {
    const samples = new ClockSamples();
    expect(samples.estimateAt(0)).toEqual({ offsetMs: 0, boundMs: 0 });
    samples.add({ offsetMs: 2.4, roundTripMs: 3, takenAtMs: 0 });
    expect(samples.estimateAt(0)).toEqual({ offsetMs: 2.4, boundMs: 1.5 });
    expect(samples.estimateAt(10_000).boundMs).toBeCloseTo(1.5 + 10_000 * CLOCK_DRIFT_ALLOWANCE);
    expect(samples.offsetAt(0)).toBe(2);
  });
});
