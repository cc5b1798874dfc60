import { isoFireTimes } from '../test-support';

/**
 * Daylight saving, as ISC cron documents it: a fixed-time job (minute and hour fields do not start
 * with `*`) runs at the first instant after a gap and once in a repeated hour; other jobs run at
 * every instant whose local wall time matches.
 */
describe('cron across daylight-saving changes', () => {
  it.each([
    // America/New_York: spring forward 2026-03-08 02:00 EST -> 03:00 EDT (07:00Z).
    ['fixed time in the gap runs right after it', '30 2 * * *', 'America/New_York', '2026-03-07T12:00:00Z', ['2026-03-08T07:00:00Z', '2026-03-09T06:30:00Z']],
    ['fixed time at the gap start runs right after it', '0 2 * * *', 'America/New_York', '2026-03-07T12:00:00Z', ['2026-03-08T07:00:00Z', '2026-03-09T06:00:00Z']],
    ['fixed hour range through the gap runs once at its end', '0 1-3 * * *', 'America/New_York', '2026-03-08T05:00:00Z', ['2026-03-08T06:00:00Z', '2026-03-08T07:00:00Z', '2026-03-09T05:00:00Z']],
    ['wildcard minutes skip the gap', '*/30 2 * * *', 'America/New_York', '2026-03-07T12:00:00Z', ['2026-03-09T06:00:00Z', '2026-03-09T06:30:00Z']],
    ['every-hour job skips the missing hour', '15 * * * *', 'America/New_York', '2026-03-08T06:00:00Z', ['2026-03-08T06:15:00Z', '2026-03-08T07:15:00Z', '2026-03-08T08:15:00Z']],
    // America/New_York: fall back 2026-11-01 02:00 EDT -> 01:00 EST (06:00Z).
    ['fixed time in the repeated hour runs once, at the first occurrence', '30 1 * * *', 'America/New_York', '2026-10-31T12:00:00Z', ['2026-11-01T05:30:00Z', '2026-11-02T06:30:00Z']],
    ['wildcard minutes run in both occurrences', '*/30 1 * * *', 'America/New_York', '2026-11-01T04:00:00Z', ['2026-11-01T05:00:00Z', '2026-11-01T05:30:00Z', '2026-11-01T06:00:00Z', '2026-11-01T06:30:00Z', '2026-11-02T06:00:00Z']],
    ['every-hour job runs in both occurrences', '0 * * * *', 'America/New_York', '2026-11-01T04:30:00Z', ['2026-11-01T05:00:00Z', '2026-11-01T06:00:00Z', '2026-11-01T07:00:00Z']],
    ['fixed time asked from inside the second occurrence waits a day', '30 1 * * *', 'America/New_York', '2026-11-01T06:10:00Z', ['2026-11-02T06:30:00Z']],
    ['six fields: fixed minute and hour collapse the gap', '*/20 30 2 * * *', 'America/New_York', '2026-03-08T06:00:00Z', ['2026-03-08T07:00:00Z', '2026-03-09T06:30:00Z']],
    // Europe/Berlin: 2026-03-29 02:00 CET -> 03:00 CEST (01:00Z); 2026-10-25 03:00 CEST -> 02:00 CET (01:00Z).
    ['Berlin gap', '30 2 * * *', 'Europe/Berlin', '2026-03-28T12:00:00Z', ['2026-03-29T01:00:00Z', '2026-03-30T00:30:00Z']],
    ['Berlin repeated hour', '30 2 * * *', 'Europe/Berlin', '2026-10-24T12:00:00Z', ['2026-10-25T00:30:00Z', '2026-10-26T01:30:00Z']],
    // Australia/Lord_Howe: 30-minute shift. 2026-10-04 02:00 (+10:30) -> 02:30 (+11); 2026-04-05 02:00 (+11) -> 01:30 (+10:30).
    ['Lord Howe gap of 30 minutes', '15 2 * * *', 'Australia/Lord_Howe', '2026-10-02T00:00:00Z', ['2026-10-02T15:45:00Z', '2026-10-03T15:30:00Z', '2026-10-04T15:15:00Z']],
    ['Lord Howe repeated half hour, fixed', '45 1 * * *', 'Australia/Lord_Howe', '2026-04-04T00:00:00Z', ['2026-04-04T14:45:00Z', '2026-04-05T15:15:00Z']],
    ['Lord Howe repeated half hour, wildcard', '*/30 1 * * *', 'Australia/Lord_Howe', '2026-04-04T14:00:00Z', ['2026-04-04T14:30:00Z', '2026-04-04T15:00:00Z', '2026-04-05T14:30:00Z']],
    // America/Havana: DST at midnight. 2026-03-08 00:00 (-5) -> 01:00 (-4); 2026-11-01 01:00 (-4) -> 00:00 (-5).
    ['Havana midnight gap', '30 0 * * *', 'America/Havana', '2026-03-07T00:00:00Z', ['2026-03-07T05:30:00Z', '2026-03-08T05:00:00Z', '2026-03-09T04:30:00Z']],
    ['Havana midnight job on the day midnight is skipped', '0 0 * * *', 'America/Havana', '2026-03-07T12:00:00Z', ['2026-03-08T05:00:00Z', '2026-03-09T04:00:00Z']],
    ['Havana repeated hour after midnight', '30 0 * * *', 'America/Havana', '2026-10-31T12:00:00Z', ['2026-11-01T04:30:00Z', '2026-11-02T05:30:00Z']],
    // Pacific/Chatham: +12:45 / +13:45. 2026-09-27 02:45 -> 03:45; 2026-04-05 03:45 -> 02:45.
    ['Chatham gap', '0 3 * * *', 'Pacific/Chatham', '2026-09-25T00:00:00Z', ['2026-09-25T14:15:00Z', '2026-09-26T14:00:00Z', '2026-09-27T13:15:00Z']],
    ['Chatham repeated hour', '0 3 * * *', 'Pacific/Chatham', '2026-04-03T14:00:00Z', ['2026-04-04T13:15:00Z', '2026-04-05T14:15:00Z']],
  ])('%s: %s in %s from %s', (_name, cron, timezone, from, expected) => {
    expect(isoFireTimes({ cron, timezone }, from, expected.length)).toEqual(expected);
  });
});
