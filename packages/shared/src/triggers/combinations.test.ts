import { TriggerIterationLimitError } from '../errors';
import { compileTrigger } from './compile-trigger';
import { isoFireTimes } from './test-support';

describe('and / or triggers', () => {
  it('and: the instants all members agree on', () => {
    expect(isoFireTimes({ and: [{ cron: '*/5 * * * *' }, { every: '7m' }] }, '2026-01-01T00:00:00Z', 3)).toEqual([
      '2026-01-01T00:35:00Z',
      '2026-01-01T01:10:00Z',
      '2026-01-01T01:45:00Z',
    ]);
  });

  it('and: a weekday cron restricted by a monthly calendar', () => {
    expect(isoFireTimes({ and: [{ cron: '0 9 * * MON' }, { cron: '0 9 1-7 * *' }], timezone: 'Europe/Berlin' }, '2026-01-01T00:00:00Z', 2)).toEqual([
      '2026-01-05T08:00:00Z',
      '2026-02-02T08:00:00Z',
    ]);
  });

  it('or: the union, each instant once', () => {
    expect(isoFireTimes({ or: [{ cron: '0 9 * * *' }, { cron: '0 9,17 * * *' }] }, '2026-01-01T00:00:00Z', 3)).toEqual([
      '2026-01-01T09:00:00Z',
      '2026-01-01T17:00:00Z',
      '2026-01-02T09:00:00Z',
    ]);
  });

  it('members inherit the zone unless they set their own', () => {
    const trigger = { or: [{ cron: '0 9 * * *' }, { cron: '0 9 * * *', timezone: 'UTC' }], timezone: 'America/New_York' };
    expect(isoFireTimes(trigger, '2026-01-01T00:00:00Z', 2)).toEqual(['2026-01-01T09:00:00Z', '2026-01-01T14:00:00Z']);
  });

  it('members honour their own start and end', () => {
    const trigger = { or: [{ every: '1h', end: '2026-01-01T02:00:00Z' }, { at: '2026-01-02T00:00:00Z' }] };
    expect(isoFireTimes(trigger, '2026-01-01T00:30:00Z', 5)).toEqual(['2026-01-01T01:00:00Z', '2026-01-01T02:00:00Z', '2026-01-02T00:00:00Z']);
  });

  it('and: ends when a member ends', () => {
    expect(isoFireTimes({ and: [{ every: '1h' }, { at: '2026-01-01T05:00:00Z' }] }, '2026-01-01T00:00:00Z', 3)).toEqual(['2026-01-01T05:00:00Z']);
  });

  it('and: raises a typed error instead of spinning when members never meet', () => {
    // Seconds 0-29 against seconds 30-59: the members never agree.
    const trigger = compileTrigger({ and: [{ cron: '0-29 * * * * *' }, { cron: '30-59 * * * * *' }] });
    expect(() => trigger.take(Date.parse('2026-01-01T00:00:00Z'), 1)).toThrow(TriggerIterationLimitError);
    try {
      trigger.take(Date.parse('2026-01-01T00:00:00Z'), 1);
    } catch (error) {
      expect((error as TriggerIterationLimitError).code).toBe('TRIGGER_ITERATION_LIMIT');
    }
  });
});

describe('start and end', () => {
  it('cron fires from start to end, both inclusive', () => {
    const trigger = { cron: '0 * * * *', start: '2026-01-01T03:00:00Z', end: '2026-01-01T05:00:00Z' };
    expect(isoFireTimes(trigger, '2026-01-01T00:00:00Z', 10)).toEqual(['2026-01-01T03:00:00Z', '2026-01-01T04:00:00Z', '2026-01-01T05:00:00Z']);
  });

  it('a sparse cron with an end stops searching at the end', () => {
    expect(isoFireTimes({ cron: '0 0 29 2 *', end: '2027-01-01T00:00:00Z', timezone: 'Europe/Berlin' }, '2026-01-01T00:00:00Z', 1)).toEqual([]);
  });
});
