import { defineTask } from '@sundial/worker';
import { createTestEnvironment, type TestEnvironment } from '@sundial/testing';

describe('a flaky task with retries', () => {
  let env: TestEnvironment;

  afterEach(() => env.close());

  test('retries after its backoff in virtual time and succeeds on the third attempt', async () => {
    const sync = defineTask({
      name: 'sync-invoices',
      retry: { attempts: 3, backoff: 'exponential', delayMs: 60_000 },
      handler: ({ attempt }) => {
        if (attempt < 3) throw new Error('upstream unavailable');
        return { synced: 42 };
      },
    });
    env = await createTestEnvironment({ tasks: [sync], start: '2026-01-05T08:00:00Z' });
    await env.client.add({ id: 'invoices', task: 'sync-invoices', trigger: { cron: '0 9 * * *' } });

    const [first] = await env.advanceTo('2026-01-05T09:00:00Z');
    expect(first).toMatchObject({ status: 'enqueued', attempts: 1, error: 'Error: upstream unavailable' });

    // The first retry waits 1 minute, the second 2 minutes, of virtual time.
    expect(await env.advanceTo('2026-01-05T09:00:59Z')).toEqual([]);
    const [second] = await env.advanceTo('2026-01-05T09:01:00Z');
    expect(second).toMatchObject({ status: 'enqueued', attempts: 2 });

    const [third] = await env.advanceBy('2m');
    expect(third).toMatchObject({ runId: first?.runId, status: 'succeeded', attempts: 3, result: { synced: 42 } });
  });

  test('fails for good when every attempt fails', async () => {
    const broken = defineTask({
      name: 'broken',
      retry: { attempts: 2, backoff: 'fixed', delayMs: 300_000 },
      handler: () => {
        throw new Error('bad credentials');
      },
    });
    env = await createTestEnvironment({ tasks: [broken], start: '2026-01-05T08:00:00Z' });
    await env.client.add({ id: 'broken', task: 'broken', trigger: { cron: '0 9 * * *' } });

    const runs = await env.advanceTo('2026-01-05T10:00:00Z');

    expect(runs).toEqual([expect.objectContaining({ fireTime: '2026-01-05T09:00:00.000Z', status: 'failed', attempts: 2, error: 'Error: bad credentials' })]);
  });
});
