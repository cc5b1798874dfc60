import { compileTrigger } from '../triggers/compile-trigger';
import { planFires, type FirePlanInput } from './fire-plan';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const SECOND = 1_000;
const everySecond = compileTrigger({ every: '1s' });

function plan(overrides: Partial<FirePlanInput>) {
  return planFires({
    trigger: everySecond,
    seed: 's',
    lastNominalMs: T0,
    nowMs: T0 + 5 * SECOND,
    misfireGraceMs: null,
    coalesce: 'latest',
    catchUpLimit: 100,
    ...overrides,
  });
}

const seconds = (fires: readonly { nominalMs: number }[]) => fires.map((fire) => (fire.nominalMs - T0) / SECOND);

describe('planFires: misfire grace and coalescing', () => {
  it.each([
    // [name, overrides, enqueued (seconds after T0), recorded ranges]
    ['on time: one due fire is enqueued', { nowMs: T0 + SECOND }, [1], []],
    ['nothing due yet', { nowMs: T0 + 999 }, [], []],
    ['latest: the newest runs, the rest are skipped as coalesced', {}, [5], [['skipped', 'coalesced', 1, 4, 4]]],
    ['earliest: the oldest runs, the rest are skipped', { coalesce: 'earliest' }, [1], [['skipped', 'coalesced', 2, 5, 4]]],
    ['all: every fire runs', { coalesce: 'all' }, [1, 2, 3, 4, 5], []],
    ['all with a cap: the newest run, older ones are skipped', { coalesce: 'all', catchUpLimit: 2 }, [4, 5], [['skipped', 'catch-up-limit', 1, 3, 3]]],
    ['grace: fires later than the grace are missed', { misfireGraceMs: 2_500, coalesce: 'all' }, [3, 4, 5], [['missed', 'misfire-grace', 1, 2, 2]]],
    ['grace and latest', { misfireGraceMs: 2_500 }, [5], [['missed', 'misfire-grace', 1, 2, 2], ['skipped', 'coalesced', 3, 4, 2]]],
    ['grace zero: only a fire due right now runs', { misfireGraceMs: 0, coalesce: 'all' }, [5], [['missed', 'misfire-grace', 1, 4, 4]]],
    ['everything too late', { misfireGraceMs: 500, nowMs: T0 + 5_600, coalesce: 'all' }, [], [['missed', 'misfire-grace', 1, 5, 5]]],
    // Lookahead: fire times up to the horizon are committed ahead, never coalesced or missed.
    ['ahead: fires up to the horizon are enqueued early', { nowMs: T0 + 500, horizonMs: T0 + 2_500 }, [1, 2], []],
    ['ahead with latest: only the late ones coalesce', { horizonMs: T0 + 7_000 }, [5, 6, 7], [['skipped', 'coalesced', 1, 4, 4]]],
    ['ahead with a grace: only the late ones can be missed', { misfireGraceMs: 0, coalesce: 'all', horizonMs: T0 + 6_000 }, [5, 6], [['missed', 'misfire-grace', 1, 4, 4]]],
    ['a horizon before now changes nothing', { horizonMs: T0 }, [5], [['skipped', 'coalesced', 1, 4, 4]]],
  ] as const)('%s', (_name, overrides, enqueued, ranges) => {
    const result = plan(overrides);
    expect(seconds(result.enqueue)).toEqual(enqueued);
    expect(result.recorded.map((range) => [range.status, range.reason, (range.firstNominalMs - T0) / SECOND, (range.lastNominalMs - T0) / SECOND, range.count])).toEqual(ranges);
  });

  it('accounts for every due fire time exactly once (no silent miss)', () => {
    for (const coalesce of ['latest', 'earliest', 'all'] as const) {
      for (const misfireGraceMs of [null, 0, 1_500, 10_000]) {
        const result = plan({ coalesce, misfireGraceMs, catchUpLimit: 3, nowMs: T0 + 8 * SECOND });
        const recorded = result.recorded.reduce((total, range) => total + range.count, 0);
        expect(result.enqueue.length + recorded).toBe(8);
        expect((result.lastNominalMs - T0) / SECOND).toBe(8);
        expect(result.next && (result.next.nominalMs - T0) / SECOND).toBe(9);
      }
    }
  });

  it('bounds the work of one tick; the remaining fires wait for the next tick', () => {
    const first = plan({ coalesce: 'all', nowMs: T0 + 25 * SECOND, maxFiresPerTick: 10 });
    // More fires are due than one tick takes: the first ten are handled (here skipped, since newer ones exist).
    expect(first.lastNominalMs).toBe(T0 + 10 * SECOND);
    const accounted = first.enqueue.length + first.recorded.reduce((total, range) => total + range.count, 0);
    expect(accounted).toBe(10);
    const second = plan({ coalesce: 'all', nowMs: T0 + 25 * SECOND, maxFiresPerTick: 10, lastNominalMs: first.lastNominalMs });
    expect(second.lastNominalMs).toBe(T0 + 20 * SECOND);
  });

  it('latest across a long outage keeps only the newest fire', () => {
    let last = T0;
    const enqueued: number[] = [];
    for (let tick = 0; tick < 4; tick++) {
      const result = plan({ nowMs: T0 + 25 * SECOND, maxFiresPerTick: 10, lastNominalMs: last });
      enqueued.push(...seconds(result.enqueue));
      last = result.lastNominalMs;
    }
    expect(enqueued).toEqual([25]);
  });

  it('a finished trigger has no next fire', () => {
    const once = compileTrigger({ at: '2026-01-01T00:00:03Z' });
    const result = plan({ trigger: once });
    expect(seconds(result.enqueue)).toEqual([3]);
    expect(result.next).toBeUndefined();
  });

  it('jitter: a fire is due at its jittered time, not its nominal one', () => {
    const jittered = compileTrigger({ every: '1m', jitter: '30s' });
    const fire = jittered.next(T0, 'seed');
    if (!fire) throw new Error('expected a fire');
    expect(fire.fireAtMs).toBeGreaterThan(fire.nominalMs);
    expect(plan({ trigger: jittered, seed: 'seed', nowMs: fire.fireAtMs - 1 }).enqueue).toEqual([]);
    expect(plan({ trigger: jittered, seed: 'seed', nowMs: fire.fireAtMs }).enqueue).toEqual([fire]);
  });
});
