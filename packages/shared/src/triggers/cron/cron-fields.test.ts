import { isoFireTimes } from '../test-support';

const FROM = '2026-01-01T00:00:00Z';

describe('cron fields', () => {
  it.each([
    ['every five minutes', '*/5 * * * *', ['2026-01-01T00:05:00Z', '2026-01-01T00:10:00Z']],
    ['six fields with seconds', '*/15 * * * * *', ['2026-01-01T00:00:15Z', '2026-01-01T00:00:30Z']],
    ['names and ranges', '0 9 * * MON-FRI', ['2026-01-01T09:00:00Z', '2026-01-02T09:00:00Z', '2026-01-05T09:00:00Z']],
    ['month names with a step', '0 0 1 JAN-DEC/3 *', ['2026-04-01T00:00:00Z', '2026-07-01T00:00:00Z', '2026-10-01T00:00:00Z']],
    ['lists', '0 8,12,18 * * *', ['2026-01-01T08:00:00Z', '2026-01-01T12:00:00Z', '2026-01-01T18:00:00Z']],
    ['range with a step', '0 9-17/4 * * *', ['2026-01-01T09:00:00Z', '2026-01-01T13:00:00Z', '2026-01-01T17:00:00Z']],
    ['Sunday as 7', '0 0 * * 7', ['2026-01-04T00:00:00Z', '2026-01-11T00:00:00Z']],
    ['Sunday as 0', '0 0 * * 0', ['2026-01-04T00:00:00Z', '2026-01-11T00:00:00Z']],
    ['question mark in day-of-month', '0 12 ? * 5L', ['2026-01-30T12:00:00Z', '2026-02-27T12:00:00Z', '2026-03-27T12:00:00Z']],
    ['last day of the month', '0 12 L * *', ['2026-01-31T12:00:00Z', '2026-02-28T12:00:00Z', '2026-03-31T12:00:00Z']],
    ['last Friday', '0 12 * * 5L', ['2026-01-30T12:00:00Z', '2026-02-27T12:00:00Z']],
    ['nearest weekday to the 15th', '0 12 15W * *', ['2026-01-15T12:00:00Z', '2026-02-16T12:00:00Z', '2026-03-16T12:00:00Z']],
    ['nearest weekday does not cross into the previous month', '0 12 1W * *', ['2026-01-01T12:00:00Z', '2026-02-02T12:00:00Z', '2026-03-02T12:00:00Z']],
    ['last weekday of the month', '0 12 LW * *', ['2026-01-30T12:00:00Z', '2026-02-27T12:00:00Z', '2026-03-31T12:00:00Z']],
    ['second Monday', '0 12 * * MON#2', ['2026-01-12T12:00:00Z', '2026-02-09T12:00:00Z']],
    ['fifth Saturday exists only in some months', '0 12 * * 6#5', ['2026-01-31T12:00:00Z', '2026-05-30T12:00:00Z']],
    ['leap day', '0 0 29 2 *', ['2028-02-29T00:00:00Z', '2032-02-29T00:00:00Z', '2036-02-29T00:00:00Z']],
    ['@yearly', '@yearly', ['2027-01-01T00:00:00Z']],
    ['@annually', '@annually', ['2027-01-01T00:00:00Z']],
    ['@monthly', '@monthly', ['2026-02-01T00:00:00Z']],
    ['@weekly', '@weekly', ['2026-01-04T00:00:00Z']],
    ['@daily', '@daily', ['2026-01-02T00:00:00Z']],
    ['@midnight', '@midnight', ['2026-01-02T00:00:00Z']],
    ['@hourly', '@hourly', ['2026-01-01T01:00:00Z']],
    ['whitespace around fields', '  0   12  *  *  * ', ['2026-01-01T12:00:00Z']],
  ])('%s: %s', (_name, cron, expected) => {
    expect(isoFireTimes({ cron }, FROM, expected.length)).toEqual(expected);
  });
});

describe('the Vixie day-of-month / day-of-week rule', () => {
  it('fires on every 13th and on every Friday when both fields are restricted', () => {
    const days = isoFireTimes({ cron: '0 12 13 * FRI' }, FROM, 40).map((iso) => new Date(iso));
    for (const day of days) expect(day.getUTCDate() === 13 || day.getUTCDay() === 5).toBe(true);
    expect(days.filter((day) => day.getUTCDate() === 13 && day.getUTCDay() !== 5)).not.toHaveLength(0);
    expect(days.filter((day) => day.getUTCDay() === 5 && day.getUTCDate() !== 13)).not.toHaveLength(0);
    expect(days.slice(0, 4).map((day) => day.toISOString())).toEqual([
      '2026-01-02T12:00:00.000Z',
      '2026-01-09T12:00:00.000Z',
      '2026-01-13T12:00:00.000Z',
      '2026-01-16T12:00:00.000Z',
    ]);
  });

  it('treats a field starting with * as unrestricted, so both must match: only Fridays on odd days', () => {
    const days = isoFireTimes({ cron: '0 12 */2 * FRI' }, FROM, 40).map((iso) => new Date(iso));
    for (const day of days) {
      expect(day.getUTCDay()).toBe(5);
      expect(day.getUTCDate() % 2).toBe(1);
    }
    expect(days.slice(0, 3).map((day) => day.toISOString())).toEqual([
      '2026-01-09T12:00:00.000Z',
      '2026-01-23T12:00:00.000Z',
      '2026-02-13T12:00:00.000Z',
    ]);
  });

  it('reads a day-of-week starting with * the same way', () => {
    // Day-of-week */2 means Sunday, Tuesday, Thursday, Saturday; with day 13 both must match.
    expect(isoFireTimes({ cron: '0 12 13 * */2' }, FROM, 3)).toEqual(['2026-01-13T12:00:00Z', '2026-06-13T12:00:00Z', '2026-08-13T12:00:00Z']);
  });
});
