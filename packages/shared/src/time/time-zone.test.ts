import { InvalidTriggerError } from '../errors';
import { TimeZone } from './time-zone';

const HOUR = 3_600_000;

describe('TimeZone', () => {
  it('finds the 2026 transitions of America/New_York to the second', () => {
    const zone = TimeZone.of('America/New_York');
    expect(zone.segmentAt(Date.parse('2026-06-01T00:00:00Z'))).toEqual({
      start: Date.parse('2026-03-08T07:00:00Z'),
      end: Date.parse('2026-11-01T06:00:00Z'),
      offset: -4 * HOUR,
      offsetBefore: -5 * HOUR,
    });
    expect(zone.offsetAt(Date.parse('2026-03-08T06:59:59Z'))).toBe(-5 * HOUR);
    expect(zone.offsetAt(Date.parse('2026-03-08T07:00:00Z'))).toBe(-4 * HOUR);
  });

  it('reports a fall-back segment with a larger offset before it', () => {
    const segment = TimeZone.of('Europe/Berlin').segmentAt(Date.parse('2026-10-25T01:00:00Z'));
    expect(segment.start).toBe(Date.parse('2026-10-25T01:00:00Z'));
    expect(segment.offsetBefore).toBe(2 * HOUR);
    expect(segment.offset).toBe(1 * HOUR);
  });

  it('handles offsets with 30 and 45 minutes', () => {
    expect(TimeZone.of('Australia/Lord_Howe').offsetAt(Date.parse('2026-01-01T00:00:00Z'))).toBe(11 * HOUR);
    expect(TimeZone.of('Australia/Lord_Howe').offsetAt(Date.parse('2026-07-01T00:00:00Z'))).toBe(10.5 * HOUR);
    expect(TimeZone.of('Pacific/Chatham').offsetAt(Date.parse('2026-07-01T00:00:00Z'))).toBe(12.75 * HOUR);
    expect(TimeZone.of('Asia/Kathmandu').offsetAt(Date.parse('2026-07-01T00:00:00Z'))).toBe(5.75 * HOUR);
  });

  it('has unbounded segments in UTC and year-long ones in zones without daylight saving', () => {
    expect(TimeZone.of('UTC').segmentAt(0)).toEqual({ start: -Infinity, end: Infinity, offset: 0, offsetBefore: 0 });
    const tokyo = TimeZone.of('Asia/Tokyo').segmentAt(Date.parse('2026-06-01T00:00:00Z'));
    expect(tokyo).toEqual({ start: Date.parse('2026-01-01T00:00:00Z'), end: Date.parse('2027-01-01T00:00:00Z'), offset: 9 * HOUR, offsetBefore: 9 * HOUR });
  });

  it('canonicalizes names', () => {
    expect(TimeZone.of('Etc/UTC')).toBe(TimeZone.UTC);
    expect(TimeZone.of('europe/berlin').name).toBe('Europe/Berlin');
  });

  it('rejects unknown zones with an error naming the field', () => {
    expect(() => TimeZone.of('Mars/Olympus_Mons', 'schedule.trigger.timezone')).toThrow(InvalidTriggerError);
    expect(() => TimeZone.of('Mars/Olympus_Mons', 'schedule.trigger.timezone')).toThrow(/^schedule\.trigger\.timezone: unknown time zone/);
  });
});
