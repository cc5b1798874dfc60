import { cronInWords, describeTrigger, durationInWords } from '../../packages/coordinator/ui/src/describe-trigger';

// The dashboard's trigger describer: the common forms in words, anything else as written.

describe('describeTrigger', () => {
  it.each([
    [{ every: '15m' }, 'every 15 minutes'],
    [{ every: '1h' }, 'every hour'],
    [{ every: '1h30m' }, 'every 1 hour 30 minutes'],
    [{ every: 90_000 }, 'every 1 minute 30 seconds'],
    [{ every: '2d' }, 'every 2 days'],
    [{ every: '1w' }, 'every week'],
    [{ every: 'soon' }, 'every soon'],
    [{ at: '2027-01-01T09:00:00Z' }, 'once at 2027-01-01T09:00:00Z'],
    [{ calendar: { months: 1, time: '09:30' } }, 'every month at 09:30'],
    [{ calendar: { days: 2 } }, 'every 2 days at 00:00'],
    [{ cron: '0 9 * * MON-FRI', timezone: 'Europe/Berlin' }, 'at 09:00 on Monday through Friday'],
    [{ every: '15m', start: '2027-01-01T00:00:00Z', end: '2027-02-01T00:00:00Z' }, 'every 15 minutes, from 2027-01-01T00:00:00Z, until 2027-02-01T00:00:00Z'],
    [{ cron: '0 2 * * *', jitter: '5m' }, 'at 02:00 every day, jitter up to 5 minutes'],
    [{ or: [{ cron: '0 9 * * 1' }, { every: '1h' }] }, 'any of: at 09:00 on Monday; every hour'],
    [{ and: [{ cron: '0 9 * * *' }, { cron: '* * 1 * *' }] }, 'when all agree: at 09:00 every day; every minute on day 1 of the month'],
  ])('%j → %s', (trigger, words) => {
    expect(describeTrigger(trigger)).toBe(words);
  });
});

describe('cronInWords', () => {
  it.each([
    ['* * * * *', 'every minute'],
    ['*/15 * * * *', 'every 15 minutes'],
    ['5 * * * *', 'at minute 5 of every hour'],
    ['0,30 * * * *', 'at minutes 0 and 30 of every hour'],
    ['0 */2 * * *', 'at minute 0 of every 2 hours'],
    ['30 6 * * *', 'at 06:30 every day'],
    ['0 9,17 * * *', 'at 09:00 and 17:00 every day'],
    ['0 9 * * 1-5', 'at 09:00 on Monday through Friday'],
    ['0 9 * * mon,wed,fri', 'at 09:00 on Monday, Wednesday and Friday'],
    ['0 9 * * 0', 'at 09:00 on Sunday'],
    ['0 9 * * 7', 'at 09:00 on Sunday'],
    ['0 0 1 * *', 'at 00:00 on day 1 of the month'],
    ['0 0 1,15 * *', 'at 00:00 on days 1 and 15 of the month'],
    ['0 0 1-7 * 1', 'at 00:00 on days 1 through 7 of the month or on Monday'],
    ['0 8 * JAN-MAR *', 'at 08:00 in January through March'],
    ['0 8 1 7 *', 'at 08:00 on day 1 of the month in July'],
    ['0 9-17 * * MON-FRI', 'at minute 0 of hours 9 through 17 on Monday through Friday'],
    ['*/5 9-17 * * *', 'every 5 minutes during hours 09 through 17'],
    ['@daily', 'at 00:00 every day'],
    ['@hourly', 'at minute 0 of every hour'],
    ['@weekly', 'at 00:00 on Sunday'],
    ['@yearly', 'at 00:00 on day 1 of the month in January'],
    ['0 30 9 * * *', 'at 09:30 every day'],
    ['*/10 * * * * *', 'every 10 seconds'],
  ])('%s → %s', (expression, words) => {
    expect(cronInWords(expression)).toBe(words);
  });

  it.each(['0 9 L * *', '0 9 * * 5L', '0 9 * * 1#2', '0 9 15W * *', '15 9 * * * 2027', '30 * * * * *', '0 9 */2 * *', '@reboot', 'H 9 * * *'])(
    'shows %s as written',
    (expression) => {
      expect(cronInWords(expression)).toBe(expression);
    },
  );
});

describe('durationInWords', () => {
  it('names each unit once, largest first', () => {
    expect(durationInWords(0)).toBe('0 seconds');
    expect(durationInWords(1_500)).toBe('1 second 500 milliseconds');
    expect(durationInWords(8 * 86_400_000 + 60_000)).toBe('1 week 1 day 1 minute');
  });
});
