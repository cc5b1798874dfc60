import { defineTask } from '@sundial/worker';
import { createTestEnvironment, type TestEnvironment } from '@sundial/testing';

describe('a schedule paused and resumed', () => {
  const ping = defineTask({ name: 'ping', handler: () => 'pong' });
  let env: TestEnvironment;

  afterEach(() => env.close());

  test('catches up on resume as its misfire grace and coalesce policy decide', async () => {
    env = await createTestEnvironment({ tasks: [ping], start: '2026-01-05T09:30:00Z' });
    await env.client.add({ id: 'hourly', task: 'ping', trigger: { cron: '0 * * * *' }, misfireGrace: '2h', coalesce: 'latest' });
    await env.advanceTo('2026-01-05T10:30:00Z');

    await env.client.pause('hourly');
    expect(await env.advanceTo('2026-01-05T15:30:00Z')).toEqual([]);
    await env.client.resume('hourly', { catchUp: 'policy' });
    const caughtUp = await env.advanceBy(0);

    // 11:00-13:00 are more than 2 hours late: missed. Of 14:00 and 15:00, only the latest runs.
    expect(caughtUp.map((run) => [run.fireTime, run.status, run.reason, run.count])).toEqual([
      ['2026-01-05T11:00:00.000Z', 'missed', 'misfire-grace', 3],
      ['2026-01-05T14:00:00.000Z', 'skipped', 'coalesced', 1],
      ['2026-01-05T15:00:00.000Z', 'succeeded', null, 1],
    ]);
    expect((await env.advanceBy('1h')).map((run) => run.fireTime)).toEqual(['2026-01-05T16:00:00.000Z']);
  });

  test('records the fires it slept through as paused when resumed without catch-up', async () => {
    env = await createTestEnvironment({ tasks: [ping], start: '2026-01-05T09:30:00Z' });
    await env.client.add({ id: 'hourly', task: 'ping', trigger: { cron: '0 * * * *' } });
    await env.client.pause('hourly');
    await env.advanceTo('2026-01-05T12:30:00Z');

    await env.client.resume('hourly');
    const runs = await env.advanceBy('1h');

    expect(runs.map((run) => [run.fireTime, run.status, run.reason, run.count])).toEqual([
      ['2026-01-05T10:00:00.000Z', 'paused', 'paused', 3],
      ['2026-01-05T13:00:00.000Z', 'succeeded', null, 1],
    ]);
  });
});
