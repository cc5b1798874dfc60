import { ValidationError } from '@sundial/shared';
import { TaskTimeoutError, defineTask } from '@sundial/worker';
import { AdvanceInProgressError, EnvironmentNotRunningError, RunsNotSettledError, TestEnvironment, createTestEnvironment } from '@sundial/testing';
import { rejectionOf, thrownBy } from '../support/errors';

describe('bad input to a test environment', () => {
  const ping = defineTask({ name: 'ping', handler: () => 'pong' });
  let env: TestEnvironment;

  afterEach(() => env.close());

  test('advancing backwards names the instant and changes nothing', async () => {
    env = await createTestEnvironment({ tasks: [ping], start: '2026-01-05T09:30:00Z' });
    await env.client.add({ id: 'hourly', task: 'ping', trigger: { cron: '0 * * * *' } });

    const error = await rejectionOf(env.advanceTo('2026-01-05T09:00:00Z'));

    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ field: 'instant' });
    expect((error as Error).message).toContain('virtual time only moves forward');
    expect(env.now().toISOString()).toBe('2026-01-05T09:30:00.000Z');
    expect((await env.advanceBy('1h')).map((run) => run.fireTime)).toEqual(['2026-01-05T10:00:00.000Z']);
  });

  test('an instant or duration that is not one names its field', async () => {
    env = await createTestEnvironment({ tasks: [ping], start: '2026-01-05T09:30:00Z' });

    expect(await rejectionOf(env.advanceTo('tomorrow'))).toMatchObject({ field: 'instant' });
    expect(await rejectionOf(env.advanceBy('-1h'))).toMatchObject({ field: 'duration' });
    expect(await rejectionOf(env.advanceBy('1h', { wait: 'never' as 'settled' }))).toMatchObject({ field: 'wait' });
    expect(env.now().toISOString()).toBe('2026-01-05T09:30:00.000Z');
  });

  test('bad options name the option', () => {
    expect(thrownBy(() => new TestEnvironment({ tasks: [ping], timezone: 'Mars/Olympus' }))).toMatchObject({ field: 'timezone' });
    expect(thrownBy(() => new TestEnvironment({ tasks: [ping], start: '2026-02-30T00:00' }))).toMatchObject({ field: 'start' });
    expect(thrownBy(() => new TestEnvironment({ tasks: [ping], settleTimeoutMs: 0 }))).toMatchObject({ field: 'settleTimeoutMs' });
    env = new TestEnvironment({ tasks: [ping] });
  });

  test('advancing before start or after close says so', async () => {
    env = new TestEnvironment({ tasks: [ping], start: '2026-01-05T09:30:00Z' });
    const beforeStart = await rejectionOf(env.advanceBy('1h'));
    expect(beforeStart).toBeInstanceOf(EnvironmentNotRunningError);
    expect((beforeStart as Error).message).toContain('not started');

    await env.start();
    await env.close();
    const afterClose = await rejectionOf(env.advanceBy('1h'));
    expect(afterClose).toBeInstanceOf(EnvironmentNotRunningError);
    expect((afterClose as Error).message).toContain('closed');
  });

  test('a task that never settles fails the advance naming the task, and the environment stays usable', async () => {
    const stuck = defineTask({ name: 'stuck', handler: () => new Promise<never>(() => undefined) });
    env = await createTestEnvironment({ tasks: [stuck, ping], start: '2026-01-05T09:30:00Z', settleTimeoutMs: 300 });
    await env.client.add({ id: 'stuck', task: 'stuck', trigger: { at: '2026-01-05T10:00:00Z' } });
    await env.client.add({ id: 'hourly', task: 'ping', trigger: { cron: '30 * * * *' } });

    const error = await rejectionOf(env.advanceTo('2026-01-05T12:00:00Z'));

    expect(error).toBeInstanceOf(RunsNotSettledError);
    expect(error).toMatchObject({ tasks: ['stuck'] });
    expect((error as Error).message).toContain('task "stuck" did not settle');
    expect(env.now().toISOString()).toBe('2026-01-05T10:00:00.000Z');
    const runs = await env.advanceTo('2026-01-05T12:00:00Z');
    expect(runs.map((run) => [run.scheduleId, run.fireTime, run.status])).toEqual([
      ['stuck', '2026-01-05T10:00:00.000Z', 'cancelled'],
      ['hourly', '2026-01-05T10:30:00.000Z', 'succeeded'],
      ['hourly', '2026-01-05T11:30:00.000Z', 'succeeded'],
    ]);
  });

  test('a run of a task the environment does not have fails the advance naming the task', async () => {
    env = await createTestEnvironment({ tasks: [ping], start: '2026-01-05T09:30:00Z', settleTimeoutMs: 300 });
    await env.client.add({ id: 'typo', task: 'pnig', trigger: { at: '2026-01-05T10:00:00Z' } });

    const error = await rejectionOf(env.advanceBy('1h'));

    expect(error).toBeInstanceOf(RunsNotSettledError);
    expect(error).toMatchObject({ tasks: ['pnig'] });
    expect(await env.runs()).toEqual([expect.objectContaining({ runId: 'typo@1767607200000', status: 'cancelled' })]);
  });

  test('a second advance while one is going on says so', async () => {
    env = await createTestEnvironment({ tasks: [ping], start: '2026-01-05T09:30:00Z' });

    const first = env.advanceBy('1h');
    expect(await rejectionOf(env.advanceBy('1h'))).toBeInstanceOf(AdvanceInProgressError);
    await first;

    expect(env.now().toISOString()).toBe('2026-01-05T10:30:00.000Z');
  });

  test('a handler past its timeout fails its attempt, as in production', async () => {
    const slow = defineTask({ name: 'slow', timeoutMs: 50, handler: () => new Promise<never>(() => undefined) });
    env = await createTestEnvironment({ tasks: [slow], start: '2026-01-05T09:30:00Z' });
    await env.client.add({ id: 'slow', task: 'slow', trigger: { at: '2026-01-05T10:00:00Z' } });

    const [run] = await env.advanceTo('2026-01-05T10:00:00Z');

    expect(run).toMatchObject({ status: 'failed', attempts: 1, error: `${TaskTimeoutError.name}: ${new TaskTimeoutError(50).message}` });
  });
});
