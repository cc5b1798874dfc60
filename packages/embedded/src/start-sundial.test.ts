import { ValidationErrorList } from '@sundial/coordinator';
import { ValidationError, connectRedis, type SundialEvent } from '@sundial/shared';
import { defineTask } from '@sundial/worker';
import type { Redis } from 'ioredis';
import pino from 'pino';
import { deleteNamespace, testRedisUrl, uniqueNamespace } from '../../../test/support/namespace';
import { closeClient } from '../../../test/support/redis-client';
import { rejectionOf } from '../../../test/support/errors';
import { startSundial, type Sundial } from './start-sundial';
import type { SundialOptions } from './sundial-options';

/** A pino logger whose lines are kept, parsed. */
function recordingLogger(): { logger: pino.Logger; lines: { level: number; msg: string; [key: string]: unknown }[] } {
  const lines: { level: number; msg: string }[] = [];
  return { logger: pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as { level: number; msg: string }) }), lines };
}

async function until<T>(probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('the condition did not hold in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const greet = defineTask<{ name: string }, string>({ name: 'greet', handler: ({ data }) => `hello ${data.name}` });

describe('startSundial (real Redis)', () => {
  let admin: Redis;
  let namespace: string;
  let started: Sundial[];

  const start = async (options: Omit<SundialOptions, 'redis' | 'namespace'>): Promise<Sundial> => {
    const sundial = await startSundial({ redis: testRedisUrl(), namespace, logger: pino({ level: 'silent' }), ...options });
    started.push(sundial);
    return sundial;
  };
  const keysOfNamespace = () => admin.keys(`sundial:{${namespace}}:*`);

  beforeAll(async () => {
    admin = await connectRedis(testRedisUrl(), { connectionName: 'sundial:test-admin' });
  });

  beforeEach(() => {
    namespace = uniqueNamespace('embedded');
    started = [];
  });

  afterEach(async () => {
    await Promise.all(started.map((sundial) => sundial.close()));
    await deleteNamespace(admin, namespace);
  });

  afterAll(async () => {
    await closeClient(admin);
  });

  it('runs both roles in the process: applies the schedules, leads, and runs what fires', async () => {
    const sundial = await start({
      tasks: [greet],
      schedules: [
        { id: 'greet-ada', task: 'greet', trigger: { every: '1h' }, data: { name: 'Ada' } },
        { id: 'greet-bob', task: 'greet', trigger: { every: '1h' }, data: { name: 'Bob' }, paused: true },
      ],
    });
    expect(sundial.applied?.create.map((entry) => entry.spec.id)).toEqual(['greet-ada', 'greet-bob']);
    expect(sundial.coordinator).toBeDefined();
    expect(sundial.worker).toBeDefined();
    const events: SundialEvent[] = [];
    sundial.on(['run.enqueued', 'run.succeeded'], (event) => void events.push(event));

    await until(() => (sundial.isLeader() ? true : undefined));
    // The heartbeat that marks it leader is written right after the election.
    const status = await until(async () => {
      const current = await sundial.client.status();
      return current.coordinators[0]?.leader ? current : undefined;
    });
    expect(status.coordinators).toEqual([expect.objectContaining({ id: sundial.coordinator?.id, leader: true })]);
    expect(status.workers).toEqual([expect.objectContaining({ id: sundial.worker?.id, tasks: ['greet'] })]);
    expect((await sundial.client.get('greet-bob')).state.paused).toBe(true);

    const { runId } = await sundial.client.trigger('greet-ada');
    const run = await until(async () => {
      const current = await sundial.client.getRun(runId).catch(() => undefined);
      return current?.status === 'succeeded' ? current : undefined;
    });
    expect(run.result).toBe('hello Ada');
    await until(() => (events.some((event) => event.type === 'run.succeeded') ? true : undefined));
    expect(events.map((event) => [event.type, event.runId])).toEqual([
      ['run.enqueued', runId],
      ['run.succeeded', runId],
    ]);
  });

  it('applies the same schedules again without a change, and prunes the others when asked', async () => {
    const schedules = [{ id: 'greet-ada', task: 'greet', trigger: { every: '1h' }, data: { name: 'Ada' } }];
    const first = await start({ tasks: [greet], schedules, roles: ['worker'] });
    await first.client.add({ id: 'leftover', task: 'greet', trigger: { every: '1d' } });
    const version = (await first.client.get('greet-ada')).state.version;
    await first.close();

    const second = await start({ tasks: [greet], schedules, prune: true, roles: ['worker'] });
    expect(second.applied).toMatchObject({ create: [], update: [], unchanged: ['greet-ada'], remove: ['leftover'] });
    expect((await second.client.get('greet-ada')).state.version).toBe(version);
    expect((await second.client.list()).schedules.map((schedule) => schedule.id)).toEqual(['greet-ada']);
  });

  it('plays only the roles asked for', async () => {
    const coordinatorOnly = await start({ roles: ['coordinator'] });
    expect(coordinatorOnly.worker).toBeUndefined();
    expect(coordinatorOnly.coordinator).toBeDefined();
    const workerOnly = await start({ roles: ['worker'], tasks: [greet] });
    expect(workerOnly.coordinator).toBeUndefined();
    expect(workerOnly.isLeader()).toBe(false);
    const status = await until(async () => {
      const current = await workerOnly.client.status();
      return current.coordinators.length === 1 && current.workers.length === 1 ? current : undefined;
    });
    expect(status.coordinators[0]?.id).toBe(coordinatorOnly.coordinator?.id);
    expect(status.workers[0]?.id).toBe(workerOnly.worker?.id);
  });

  it('warns about a schedule whose task the app does not define, and applies it', async () => {
    const { logger, lines } = recordingLogger();
    const sundial = await start({ tasks: [greet], logger, roles: ['worker'], schedules: [{ id: 'elsewhere', task: 'bill', trigger: { every: '1h' } }] });
    expect(lines).toContainEqual(expect.objectContaining({ level: 40, schedule: 'elsewhere', task: 'bill', field: 'schedules[0].task' }));
    expect((await sundial.client.get('elsewhere')).task).toBe('bill');
  });

  it('closes the connections it opened, not one it was given, and close() may be called twice', async () => {
    const given = await connectRedis(testRedisUrl(), { connectionName: 'sundial:test-given' });
    try {
      const sundial = await startSundial({ redis: given, namespace, tasks: [greet], logger: pino({ level: 'silent' }) });
      await Promise.all([sundial.close(), sundial.close()]);
      await sundial.close();
      expect(given.status).toBe('ready');
      const status = await until(async () => {
        const current = await sundial.client.status().catch(() => undefined);
        return current;
      });
      expect(status).toMatchObject({ coordinators: [], workers: [] });
    } finally {
      await closeClient(given);
    }
    const owned = await start({ tasks: [greet] });
    await owned.close();
    await expect(owned.client.status()).rejects.toThrow();
  });

  it.each([
    ['an unknown role', 'roles[0]', { roles: ['scheduler'] }],
    ['no roles', 'roles', { roles: [] }],
    ['no tasks for the worker role', 'tasks', {}],
    ['a bad cron expression', 'schedules[1].trigger.cron', { tasks: [greet], schedules: [{ id: 'a', task: 'greet', trigger: { every: '1h' } }, { id: 'b', task: 'greet', trigger: { cron: '61 * * * *' } }] }],
    ['schedules that are not a list', 'schedules', { tasks: [greet], schedules: { id: 'a' } }],
    ['prune without schedules', 'prune', { tasks: [greet], prune: true }],
    ['a bad worker option', 'worker.concurrency', { tasks: [greet], worker: { concurrency: 0 } }],
    ['a bad coordinator option', 'coordinator.leaseMs', { tasks: [greet], coordinator: { leaseMs: -1 } }],
    ['a bad namespace', 'namespace', { tasks: [greet], namespace: 'a b' }],
  ])('rejects %s, naming %s, and changes nothing', async (_name, field, options) => {
    const error = await rejectionOf(startSundial({ redis: testRedisUrl(), namespace, logger: pino({ level: 'silent' }), ...(options as Partial<SundialOptions>) }));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ field });
    expect(await keysOfNamespace()).toEqual([]);
  });

  it('reports every bad schedule at once', async () => {
    const error = await rejectionOf(
      startSundial({
        redis: testRedisUrl(),
        namespace,
        tasks: [greet],
        schedules: [
          { id: 'a', task: 'greet', trigger: { every: '1h' } },
          { id: 'b', task: 'greet', trigger: { every: 'often' } },
          { id: 'a', task: 'greet', trigger: { every: '2h' } },
        ],
      }),
    );
    expect(error).toBeInstanceOf(ValidationErrorList);
    expect((error as ValidationErrorList).errors.map((each) => each.field)).toEqual(['schedules[1].trigger.every', 'schedules[2].id']);
    expect(await keysOfNamespace()).toEqual([]);
  });
});
