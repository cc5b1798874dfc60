import { isoFireTimes } from './test-support';

describe('calendar triggers', () => {
  it.each([
    ['monthly from Jan 31 skips months without a 31st', { calendar: { months: 1, time: '09:30' }, start: '2026-01-31T00:00:00Z' }, '2026-01-01T00:00:00Z', ['2026-01-31T09:30:00Z', '2026-03-31T09:30:00Z', '2026-05-31T09:30:00Z', '2026-07-31T09:30:00Z', '2026-08-31T09:30:00Z']],
    ['yearly from Feb 29 fires on leap years', { calendar: { years: 1 }, start: '2024-02-29T00:00:00Z' }, '2024-01-01T00:00:00Z', ['2024-02-29T00:00:00Z', '2028-02-29T00:00:00Z']],
    ['every 2 weeks at a local time', { calendar: { weeks: 2, time: '08:00' }, start: '2026-01-05', timezone: 'Europe/Berlin' }, '2026-01-01T00:00:00Z', ['2026-01-05T07:00:00Z', '2026-01-19T07:00:00Z', '2026-02-02T07:00:00Z']],
    ['every 3 days', { calendar: { days: 3, time: '12:00:30' }, start: '2026-01-01T00:00:00Z' }, '2026-01-02T00:00:00Z', ['2026-01-04T12:00:30Z', '2026-01-07T12:00:30Z']],
    ['no start: anchored at 1970-01-01, monthly on the 1st', { calendar: { months: 1 } }, '2026-01-15T00:00:00Z', ['2026-02-01T00:00:00Z', '2026-03-01T00:00:00Z']],
    ['keeps the wall-clock time across daylight saving', { calendar: { days: 1, time: '09:00' }, timezone: 'Europe/Berlin' }, '2026-03-28T00:00:00Z', ['2026-03-28T08:00:00Z', '2026-03-29T07:00:00Z', '2026-03-30T07:00:00Z']],
    ['a time in the gap fires right after it', { calendar: { days: 1, time: '02:30' }, timezone: 'America/New_York' }, '2026-03-07T12:00:00Z', ['2026-03-08T07:00:00Z', '2026-03-09T06:30:00Z']],
    ['a repeated time fires once, at the first occurrence', { calendar: { days: 1, time: '01:30' }, timezone: 'America/New_York' }, '2026-10-31T12:00:00Z', ['2026-11-01T05:30:00Z', '2026-11-02T06:30:00Z']],
    ['the anchor date is the local date of start', { calendar: { months: 1, time: '10:00' }, start: '2026-01-30T23:30:00Z', timezone: 'Europe/Berlin' }, '2026-01-01T00:00:00Z', ['2026-01-31T09:00:00Z', '2026-03-31T08:00:00Z']],
  ])('%s', (_name, trigger, from, expected) => {
    expect(isoFireTimes(trigger, from, expected.length)).toEqual(expected);
  });
});
