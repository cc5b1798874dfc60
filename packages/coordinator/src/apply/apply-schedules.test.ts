import { SundialClient, connectRedis } from '@sundial/shared';
import type { Redis } from 'ioredis';
import { deleteNamespace, testRedisUrl, uniqueNamespace } from '../../../../test/support/namespace';
import { closeClient } from '../../../../test/support/redis-client';
import { applyScheduleDiff, applySchedules, listAllSchedules } from './apply-schedules';
import { diffSchedules } from './schedule-diff';
import { validateScheduleEntries } from './schedule-entries';

const declared = validateScheduleEntries([
  { id: 'hourly', task: 'sync', trigger: { every: '1h' }, data: { full: false } },
  { id: 'nightly', task: 'report', trigger: { cron: '0 2 * * *', timezone: 'Europe/Berlin' }, paused: true },
  { id: 'weekly', task: 'report', trigger: { calendar: { weeks: 1, time: '06:00' } } },
]);

describe('applySchedules (real Redis)', () => {
  let admin: Redis;
  let namespace: string;
  let clients: SundialClient[];

  const client = (): SundialClient => {
    const created = new SundialClient({ connection: testRedisUrl(), namespace });
    clients.push(created);
    return created;
  };

  beforeAll(async () => {
    admin = await connectRedis(testRedisUrl(), { connectionName: 'sundial:test-admin' });
  });

  beforeEach(() => {
    namespace = uniqueNamespace('apply-lib');
    clients = [];
  });

  afterEach(async () => {
    await Promise.all(clients.map((each) => each.close()));
    await deleteNamespace(admin, namespace);
  });

  afterAll(async () => {
    await closeClient(admin);
  });

  it('makes the namespace match the list, and a second apply changes nothing', async () => {
    const sundial = client();
    const first = await applySchedules(sundial, declared);
    expect(first.create.map((entry) => entry.spec.id)).toEqual(['hourly', 'nightly', 'weekly']);
    const stored = await listAllSchedules(sundial);
    expect(stored.map((schedule) => [schedule.id, schedule.state.paused])).toEqual([
      ['hourly', false],
      ['nightly', true],
      ['weekly', false],
    ]);
    const versions = stored.map((schedule) => schedule.state.version);

    const second = await applySchedules(sundial, declared);
    expect(second).toMatchObject({ create: [], update: [], remove: [], unchanged: ['hourly', 'nightly', 'weekly'] });
    expect((await listAllSchedules(sundial)).map((schedule) => schedule.state.version)).toEqual(versions);
  });

  it('converges when several processes apply the same list at once', async () => {
    await client().add({ id: 'stale', task: 'old', trigger: { every: '1d' } });
    await client().add({ id: 'hourly', task: 'sync', trigger: { every: '2h' } });
    const diffs = await Promise.all([client(), client(), client()].map((each) => applySchedules(each, declared, { prune: true })));
    for (const diff of diffs) expect(diff.remove).toEqual(['stale']);
    const stored = await listAllSchedules(client());
    expect(stored.map((schedule) => schedule.id).sort()).toEqual(['hourly', 'nightly', 'weekly']);
    expect(stored.find((schedule) => schedule.id === 'hourly')).toMatchObject({ trigger: { every: '1h' }, data: { full: false } });
    expect(stored.find((schedule) => schedule.id === 'nightly')?.state.paused).toBe(true);
  });

  it('makes a schedule another process added since the diff match the list, and re-adds one removed since', async () => {
    const sundial = client();
    await sundial.add({ id: 'weekly', task: 'report', trigger: { calendar: { weeks: 1, time: '06:00' } } });
    const planned = diffSchedules(declared, await listAllSchedules(sundial), false);
    expect(planned.create.map((entry) => entry.spec.id)).toEqual(['hourly', 'nightly']);

    // Races: another process adds "hourly" with another definition and "nightly" unpaused, and removes "weekly".
    await sundial.add({ id: 'hourly', task: 'sync', trigger: { every: '5m' } });
    await sundial.add({ id: 'nightly', task: 'report', trigger: { cron: '0 2 * * *', timezone: 'Europe/Berlin' } });
    await sundial.remove('weekly');
    const changedDiff = { ...planned, update: [{ entry: declared[2]!, fields: ['trigger'], specChanged: true }] };
    await applyScheduleDiff(sundial, changedDiff);

    const stored = await listAllSchedules(sundial);
    expect(stored.map((schedule) => schedule.id).sort()).toEqual(['hourly', 'nightly', 'weekly']);
    expect(stored.find((schedule) => schedule.id === 'hourly')).toMatchObject({ trigger: { every: '1h' }, data: { full: false } });
    expect(stored.find((schedule) => schedule.id === 'nightly')?.state.paused).toBe(true);
  });

  it('on a dry run, or when the check throws, changes nothing', async () => {
    const sundial = client();
    const dry = await applySchedules(sundial, declared, { dryRun: true });
    expect(dry.create).toHaveLength(3);
    await expect(applySchedules(sundial, declared, { check: () => Promise.reject(new Error('refused')) })).rejects.toThrow('refused');
    expect(await listAllSchedules(sundial)).toEqual([]);
  });

  it('tells the warnings of the schedules it adds', async () => {
    const warnings: string[] = [];
    await applySchedules(client(), declared.slice(0, 1), { onWarning: (message) => warnings.push(message) });
    expect(warnings).toEqual(['hourly: no live worker serves task "sync" yet; its runs wait in the queue until one does']);
  });
});
