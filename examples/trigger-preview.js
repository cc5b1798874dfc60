// Prints the next fire times of a few triggers, including across daylight-saving changes.
// Run it with `pnpm demo` (which builds first), or `node examples/trigger-preview.js` after `pnpm build`.
const { nextFireTimes } = require('@sundial/shared');

const examples = [
  ['Weekdays at 09:00 in Berlin', { cron: '0 9 * * MON-FRI', timezone: 'Europe/Berlin' }, '2026-03-26T00:00:00Z'],
  ['02:30 daily in New York, across the spring-forward gap', { cron: '30 2 * * *', timezone: 'America/New_York' }, '2026-03-06T12:00:00Z'],
  ['Every 30 minutes during 01:xx in New York, across fall-back', { cron: '*/30 1 * * *', timezone: 'America/New_York' }, '2026-11-01T04:00:00Z'],
  ['Monthly on the 31st at 09:30 (months without one are skipped)', { calendar: { months: 1, time: '09:30' }, start: '2026-01-31T00:00:00Z' }, '2026-01-01T00:00:00Z'],
  ['Every 90 minutes', { every: '1h30m' }, '2026-01-01T00:10:00Z'],
  ['Every 10 minutes with up to 2 minutes of jitter', { cron: '*/10 * * * *', jitter: '2m' }, '2026-01-01T00:00:00Z'],
];

for (const [title, trigger, from] of examples) {
  const zone = trigger.timezone ?? 'UTC';
  const local = new Intl.DateTimeFormat('en-GB', { timeZone: zone, dateStyle: 'medium', timeStyle: 'long' });
  console.log(`\n${title}\n  ${JSON.stringify(trigger)}  (after ${from})`);
  for (const time of nextFireTimes(trigger, { from, count: 4, seed: 'demo' })) {
    console.log(`  ${time.toISOString()}   ${local.format(time)}`);
  }
}
console.log('\nTry your own: node_modules/.bin/sundial next --cron "0 9 * * MON-FRI" --tz Europe/Berlin -n 5');
