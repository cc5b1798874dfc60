import { NotFoundError } from '@sundial/shared';
import { runScript } from '../../packages/shared/src/store/scripts';
import { leaderFixture, type LeaderFixture } from '../helpers/leader-fixture';
import { writeLegacySchedule } from '../helpers/legacy-schedule';
import { rejectionOf } from '../support/errors';

// Schedules written before the definition had a key of its own keep it in the field `spec` of
// their hash. They must read, fire and change as any other, and move to the new layout when changed.

const MINUTE = 60_000;
let f: LeaderFixture;

beforeEach(async () => {
  f = await leaderFixture();
});

afterEach(async () => {
  await f.close();
});

/** Writes `id` in the older layout: every minute, with data, other fields as given. */
async function legacy(id: string, fields: Record<string, unknown> = {}) {
  return writeLegacySchedule(f.redis, f.keys, { id, task: 'work', trigger: { every: '1m' }, data: { tenant: 7 }, ...fields }, f.clock.nowMs);
}

async function tickAt(ms: number) {
  f.clock.nowMs = ms;
  return f.loop.tick(f.lease);
}

/** Checks the definition is in its own key (equal to `spec`) and no longer in the hash. */
async function expectMoved(id: string, spec: unknown): Promise<void> {
  expect(await f.redis.hexists(f.keys.schedule(id), 'spec')).toBe(0);
  expect(JSON.parse((await f.redis.get(f.keys.definition(id))) ?? 'null')).toEqual(spec);
}

describe('a schedule of the older layout (definition in the hash)', () => {
  it('reads back through get and list, beside schedules of the new layout', async () => {
    const { spec, firstFireMs } = await legacy('old');
    await f.client.add({ id: 'new', task: 'work', trigger: { every: '1h' } });
    expect(await f.redis.exists(f.keys.definition('old'))).toBe(0);
    const { state, ...read } = await f.client.get('old');
    expect(read).toEqual(spec);
    expect(state).toMatchObject({ version: 1, paused: false, nextFireTime: new Date(firstFireMs).toISOString() });
    const { schedules } = await f.client.list();
    expect(schedules.map((schedule) => [schedule.id, schedule.data])).toEqual([
      ['old', { tenant: 7 }],
      ['new', {}],
    ]);
    expect((await f.client.list({ task: 'work', state: 'active' })).schedules).toHaveLength(2);
  });

  it('fires through the coordinator, its task on the run', async () => {
    const { firstFireMs } = await legacy('old');
    expect((await tickAt(firstFireMs - 1)).enqueued).toBe(0);
    expect((await tickAt(firstFireMs)).enqueued).toBe(1);
    const worker = f.worker();
    await worker.until(() => worker.started.length === 1);
    expect(worker.started).toEqual([`old@${firstFireMs}`]);
    expect(await f.redis.hget(f.keys.run(`old@${firstFireMs}`), 'task')).toBe('work');
    expect((await f.client.get('old')).state.enqueued).toBe(1);
  });

  it('buffer-one: its buffered fire starts once the running one ends', async () => {
    const { firstFireMs: first } = await legacy('etl', { overlap: 'buffer-one' });
    const worker = f.worker();
    await tickAt(first);
    await worker.until(() => worker.started.length === 1);
    await tickAt(first + MINUTE);
    worker.release(`etl@${first}`);
    await worker.until(() => worker.completed.length === 1);
    expect(await f.store.promoteBuffered(f.lease, first + MINUTE + 1)).toBe(1);
    await f.dispatcher.dispatch(f.lease);
    await worker.until(() => worker.started.length === 2);
    expect(worker.started[1]).toBe(`etl@${first + MINUTE}`);
  });

  it('update moves the definition to its own key and keeps the state', async () => {
    const { spec } = await legacy('old');
    const createdAt = await f.redis.hget(f.keys.schedule('old'), 'createdAt');
    const updated = await f.client.update('old', { data: { tenant: 8 } });
    expect(updated).toMatchObject({ data: { tenant: 8 }, state: { version: 2 } });
    await expectMoved('old', { ...spec, data: { tenant: 8 } });
    expect(await f.redis.hget(f.keys.schedule('old'), 'createdAt')).toBe(createdAt);
  });

  it('pause and resume move it unchanged', async () => {
    const { spec } = await legacy('old');
    await f.client.pause('old');
    await expectMoved('old', spec);
    expect((await f.client.get('old')).state).toMatchObject({ paused: true, version: 2 });
    await f.client.resume('old');
    await expectMoved('old', spec);
  });

  it('add with onConflict replace moves it', async () => {
    await legacy('old');
    const { outcome, schedule } = await f.client.add({ id: 'old', task: 'other', trigger: { every: '1h' } }, { onConflict: 'replace' });
    expect(outcome).toBe('replaced');
    const { state, ...spec } = schedule;
    expect(state.version).toBeGreaterThan(1);
    await expectMoved('old', spec);
  });

  it('the add script replacing it (an id created meanwhile) moves it too', async () => {
    const { spec } = await legacy('old');
    const replacement = { ...spec, task: 'other' };
    const now = f.clock.nowMs;
    const outcome = await runScript<string>(
      f.redis,
      'addSchedule',
      [f.keys.schedule('old'), f.keys.definition('old'), f.keys.ids, f.keys.due, f.keys.events],
      ['old', JSON.stringify(replacement), 'replace', now, '0', now, now + MINUTE, now + MINUTE, 1_000, f.keys.changesChannel, 'other', f.keys.base, 'default'],
    );
    expect(outcome).toBe('replaced');
    await expectMoved('old', replacement);
    expect((await f.client.get('old')).state).toMatchObject({ version: 2, createdAt: new Date(now).toISOString() });
  });

  it('remove deletes it with its indexes', async () => {
    await legacy('old');
    await f.client.remove('old');
    expect(await f.redis.exists(f.keys.schedule('old'), f.keys.definition('old'))).toBe(0);
    expect(await f.redis.zscore(f.keys.ids, 'old')).toBeNull();
    expect(await f.redis.zscore(f.keys.due, 'old')).toBeNull();
    expect(await rejectionOf(f.client.get('old'))).toBeInstanceOf(NotFoundError);
  });

  it('a definition key wins over a `spec` field left in the hash', async () => {
    const { spec } = await legacy('old');
    await f.redis.set(f.keys.definition('old'), JSON.stringify({ ...spec, task: 'newer' }));
    expect((await f.client.get('old')).task).toBe('newer');
    await f.client.pause('old');
    await expectMoved('old', { ...spec, task: 'newer' });
  });
});
