import { defineTask } from '@sundial/worker';
import { createTestEnvironment, type TestEnvironment } from '@sundial/testing';

describe('a daily cron task across daylight saving time changes', () => {
  const report = defineTask({ name: 'nightly-report', handler: ({ fireTime }) => ({ for: fireTime.toISOString() }) });
  let env: TestEnvironment;

  afterEach(() => env.close());

  test('runs at 03:00 on the day 02:30 does not exist (spring forward)', async () => {
    env = await createTestEnvironment({ tasks: [report], start: '2026-03-06T12:00', timezone: 'America/New_York' });
    await env.client.add({ id: 'nightly', task: 'nightly-report', trigger: { cron: '30 2 * * *', timezone: 'America/New_York' } });

    const runs = await env.advanceTo('2026-03-10T12:00');

    expect(runs.map((run) => [run.localFireTime, run.status])).toEqual([
      ['2026-03-07T02:30:00', 'succeeded'],
      ['2026-03-08T03:00:00', 'succeeded'],
      ['2026-03-09T02:30:00', 'succeeded'],
      ['2026-03-10T02:30:00', 'succeeded'],
    ]);
    expect(runs[1]).toMatchObject({ fireTime: '2026-03-08T07:00:00.000Z', attempts: 1, result: { for: '2026-03-08T07:00:00.000Z' } });
  });

  test('runs once on the day 01:30 happens twice (fall back)', async () => {
    env = await createTestEnvironment({ tasks: [report], start: '2026-10-31T12:00', timezone: 'America/New_York' });
    await env.client.add({ id: 'nightly', task: 'nightly-report', trigger: { cron: '30 1 * * *', timezone: 'America/New_York' } });

    const runs = await env.advanceTo('2026-11-02T12:00');

    expect(runs.map((run) => [run.fireTime, run.localFireTime, run.status])).toEqual([
      ['2026-11-01T05:30:00.000Z', '2026-11-01T01:30:00', 'succeeded'],
      ['2026-11-02T06:30:00.000Z', '2026-11-02T01:30:00', 'succeeded'],
    ]);
  });
});
