import { countdown, shortDuration } from '../../packages/coordinator/ui/src/format';
import { perMinute } from '../../packages/coordinator/ui/src/per-minute';

// What the dashboard's charts and countdowns compute, with the clock passed in.

describe('perMinute', () => {
  const now = Date.parse('2027-01-01T12:30:20Z');

  it('counts events in each of the last minutes, the current one last, ranges by their count', () => {
    const counts = perMinute(
      [
        { time: '2027-01-01T12:30:05Z' },
        { time: '2027-01-01T12:30:19Z', count: 3 },
        { time: '2027-01-01T12:29:59Z' },
        { time: '2027-01-01T12:28:00Z' },
        { time: '2027-01-01T12:27:59Z' },
        { time: 'not a time' },
      ],
      now,
      3,
    );
    expect(counts).toEqual([
      { minuteMs: Date.parse('2027-01-01T12:28:00Z'), count: 1 },
      { minuteMs: Date.parse('2027-01-01T12:29:00Z'), count: 1 },
      { minuteMs: Date.parse('2027-01-01T12:30:00Z'), count: 4 },
    ]);
  });

  it('has a zero for every minute without events', () => {
    expect(perMinute([], now, 30).map(({ count }) => count)).toEqual(new Array(30).fill(0));
  });
});

describe('countdown', () => {
  const now = Date.parse('2027-01-01T12:00:00Z');

  it.each([
    ['2027-01-01T12:00:04Z', 'in 4 s'],
    ['2027-01-01T12:00:03.200Z', 'in 4 s'],
    ['2027-01-01T12:02:03Z', 'in 2 min 3 s'],
    ['2027-01-01T12:14:00Z', 'in 14 min 0 s'],
    ['2027-01-01T15:05:00Z', 'in 3 h 5 min'],
    ['2027-01-03T16:00:00Z', 'in 2 d 4 h'],
    ['2027-01-01T12:00:00.400Z', 'now'],
    ['2027-01-01T11:59:56Z', '4 s ago'],
  ])('until %s: %s', (iso, text) => {
    expect(countdown(iso, now)).toBe(text);
  });

  it('shows durations below a second in ms', () => {
    expect(shortDuration(850)).toBe('850 ms');
  });
});
