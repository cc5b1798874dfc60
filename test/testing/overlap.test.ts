import { defineTask } from '@sundial/worker';
import { createTestEnvironment, type TestEnvironment } from '@sundial/testing';

describe('an overlapping slow task under overlap: skip', () => {
  let env: TestEnvironment;

  afterEach(() => env.close());

  test('skips the fires that come while a run is still running', async () => {
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const exportTask = defineTask({ name: 'export', handler: async () => finished });
    env = await createTestEnvironment({ tasks: [exportTask], start: '2026-01-05T00:00:00Z' });
    await env.client.add({ id: 'export', task: 'export', trigger: { every: '1h' }, overlap: 'skip' });

    // The handler holds on until the test lets it finish: time moves while it runs.
    const during = await env.advanceBy('3h', { wait: 'started' });
    expect(during.map((run) => [run.fireTime, run.status, run.reason])).toEqual([
      ['2026-01-05T01:00:00.000Z', 'running', null],
      ['2026-01-05T02:00:00.000Z', 'skipped', 'overlap'],
      ['2026-01-05T03:00:00.000Z', 'skipped', 'overlap'],
    ]);

    finish();
    const after = await env.advanceBy('1h');
    expect(after.map((run) => [run.fireTime, run.status])).toEqual([
      ['2026-01-05T01:00:00.000Z', 'succeeded'],
      ['2026-01-05T04:00:00.000Z', 'succeeded'],
    ]);
  });
});
