import { formatDuration, parseDuration } from './duration';

describe('durations', () => {
  it.each([
    ['90s', 90_000],
    ['15m', 900_000],
    ['1h30m', 5_400_000],
    ['2d', 172_800_000],
    ['1w', 604_800_000],
    ['250ms', 250],
    ['1m30s500ms', 90_500],
    ['3000', 3_000],
    [' 5m ', 300_000],
    [42, 42],
  ])('%j is %i ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '5 minutes', '-5m', '1.5h', 'm', '5M', '1h 30m', 'soon', '30m1h', '1h1h', 'ms'])('rejects %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  it('formats durations so they parse back', () => {
    for (const ms of [1, 999, 1_000, 90_000, 5_400_000, 90_061_001, 1_209_600_000]) {
      expect(parseDuration(formatDuration(ms))).toBe(ms);
    }
    expect(formatDuration(5_400_000)).toBe('1h30m');
  });
});
