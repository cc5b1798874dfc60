import { isoFireTimes } from './test-support';

describe('interval triggers', () => {
  it.each([
    ['without start: aligned on the Unix epoch', { every: '15m' }, '2026-01-01T00:07:00Z', ['2026-01-01T00:15:00Z', '2026-01-01T00:30:00Z']],
    ['milliseconds', { every: 90_000 }, '2026-01-01T00:00:00Z', ['2026-01-01T00:01:30Z', '2026-01-01T00:03:00Z']],
    ['compound duration', { every: '1h30m' }, '2026-01-01T00:10:00Z', ['2026-01-01T01:30:00Z', '2026-01-01T03:00:00Z']],
    ['start is the first fire time', { every: '10m', start: '2026-01-01T00:03:00Z' }, '2025-12-31T00:00:00Z', ['2026-01-01T00:03:00Z', '2026-01-01T00:13:00Z']],
    ['anchored at start after it', { every: '10m', start: '2026-01-01T00:03:00Z' }, '2026-01-01T00:13:00Z', ['2026-01-01T00:23:00Z']],
    ['elapsed time across a daylight-saving gap', { every: '1h', start: '2026-03-08T05:00:00Z', timezone: 'America/New_York' }, '2026-03-08T05:00:00Z', ['2026-03-08T06:00:00Z', '2026-03-08T07:00:00Z', '2026-03-08T08:00:00Z']],
    ['local start read in the trigger zone', { every: '1d', start: '2026-06-01T09:00', timezone: 'Europe/Berlin' }, '2026-01-01T00:00:00Z', ['2026-06-01T07:00:00Z', '2026-06-02T07:00:00Z']],
  ])('%s', (_name, trigger, from, expected) => {
    expect(isoFireTimes(trigger, from, expected.length)).toEqual(expected);
  });
});

it('an interval stops at end, inclusive', () => {
  expect(isoFireTimes({ every: '1h', end: '2026-01-01T02:00:00Z' }, '2026-01-01T00:30:00Z', 5)).toEqual(['2026-01-01T01:00:00Z', '2026-01-01T02:00:00Z']);
});

describe('date triggers', () => {
  it('fires once', () => {
    expect(isoFireTimes({ at: '2027-01-01T09:00:00Z' }, '2026-01-01T00:00:00Z', 3)).toEqual(['2027-01-01T09:00:00Z']);
  });

  it('has no fire time after it', () => {
    expect(isoFireTimes({ at: '2027-01-01T09:00:00Z' }, '2027-01-01T09:00:00Z', 3)).toEqual([]);
  });

  it('reads an offset or a local time in its zone', () => {
    expect(isoFireTimes({ at: '2027-01-01T10:00:00+01:00' }, '2026-01-01T00:00:00Z', 1)).toEqual(['2027-01-01T09:00:00Z']);
    expect(isoFireTimes({ at: '2027-07-01T10:00', timezone: 'Europe/Berlin' }, '2026-01-01T00:00:00Z', 1)).toEqual(['2027-07-01T08:00:00Z']);
    expect(isoFireTimes({ at: '2026-03-08T02:30', timezone: 'America/New_York' }, '2026-01-01T00:00:00Z', 1)).toEqual(['2026-03-08T07:00:00Z']);
  });

  it('respects start and end', () => {
    expect(isoFireTimes({ at: '2027-01-01T09:00:00Z', end: '2026-12-31T00:00:00Z', start: '2026-01-01T00:00:00Z' }, '2025-01-01T00:00:00Z', 1)).toEqual([]);
  });
});
