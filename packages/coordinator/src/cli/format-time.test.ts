import { TimeZone } from '@sundial/shared';
import { formatOffset, formatZonedTime } from './format-time';

describe('formatZonedTime', () => {
  it.each([
    ['2026-03-08T06:30:00Z', 'America/New_York', '2026-03-08 01:30:00 -05:00'],
    ['2026-03-08T07:00:00Z', 'America/New_York', '2026-03-08 03:00:00 -04:00'],
    ['2026-11-01T05:30:00Z', 'America/New_York', '2026-11-01 01:30:00 -04:00'],
    ['2026-11-01T06:30:00Z', 'America/New_York', '2026-11-01 01:30:00 -05:00'],
    ['2026-10-04T15:15:00Z', 'Australia/Lord_Howe', '2026-10-05 02:15:00 +11:00'],
    ['2026-01-01T00:00:00Z', 'Asia/Kathmandu', '2026-01-01 05:45:00 +05:45'],
    ['2026-01-01T00:00:00.250Z', 'UTC', '2026-01-01 00:00:00.250 +00:00'],
  ])('%s in %s is %s', (instant, zone, expected) => {
    expect(formatZonedTime(Date.parse(instant), TimeZone.of(zone))).toBe(expected);
  });
});

describe('formatOffset', () => {
  it.each([
    [0, '+00:00'],
    [-4 * 3600_000, '-04:00'],
    [(5 * 3600 + 45 * 60) * 1000, '+05:45'],
    [-(4 * 3600 + 56 * 60 + 2) * 1000, '-04:56:02'],
  ])('%d ms is %s', (offsetMs, expected) => {
    expect(formatOffset(offsetMs)).toBe(expected);
  });
});
