import { compileTrigger } from './compile-trigger';
import { nextFireTimes } from './next-fire-times';

const FROM = Date.parse('2026-01-01T00:00:00Z');

describe('jitter', () => {
  const trigger = compileTrigger({ cron: '*/10 * * * *', jitter: '5m' });

  it('is deterministic for a seed and a nominal time', () => {
    expect(trigger.take(FROM, 20, { seed: 'backup' })).toEqual(trigger.take(FROM, 20, { seed: 'backup' }));
  });

  it('differs between seeds', () => {
    const a = trigger.take(FROM, 20, { seed: 'a' }).map((fire) => fire.fireAtMs);
    const b = trigger.take(FROM, 20, { seed: 'b' }).map((fire) => fire.fireAtMs);
    expect(a).not.toEqual(b);
  });

  it('is never before the nominal time and stays below the bound', () => {
    for (const fire of trigger.take(FROM, 500, { seed: 'report' })) {
      expect(fire.fireAtMs).toBeGreaterThanOrEqual(fire.nominalMs);
      expect(fire.fireAtMs - fire.nominalMs).toBeLessThan(5 * 60_000);
    }
  });

  it('never reaches the next nominal time, even when the jitter is longer than the period', () => {
    const wide = compileTrigger({ every: '1m', jitter: '1h' });
    const fires = wide.take(FROM, 500, { seed: 'wide' });
    fires.forEach((fire, index) => {
      const next = fires[index + 1];
      if (next) expect(fire.fireAtMs).toBeLessThan(next.nominalMs);
    });
    expect(new Set(fires.map((fire) => fire.fireAtMs - fire.nominalMs)).size).toBeGreaterThan(100);
  });

  it('nextFireTimes returns jittered times seeded by the seed option', () => {
    const dates = nextFireTimes({ cron: '*/10 * * * *', jitter: '5m' }, { from: FROM, count: 3, seed: 'backup' });
    expect(dates.map((date) => date.getTime())).toEqual(trigger.take(FROM, 3, { seed: 'backup' }).map((fire) => fire.fireAtMs));
  });
});
