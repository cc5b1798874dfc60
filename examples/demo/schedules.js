// The demo's schedules, added with the client (the same can be done with `sundial apply -f`).
module.exports = [
  { id: 'hello-every-2s', task: 'hello', trigger: { every: '2s' }, data: { name: 'Sundial' } },
  { id: 'report-each-minute', task: 'report', trigger: { cron: '* * * * *', timezone: 'Europe/Berlin' } },
  { id: 'flaky-every-10s', task: 'flaky', trigger: { every: '10s' } },
  { id: 'slow-every-3s', task: 'slow', trigger: { every: '3s' }, overlap: 'skip' },
];
