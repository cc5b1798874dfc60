import { leaderFixture, type LeaderFixture } from '../helpers/leader-fixture';
import { writeLegacySchedule } from '../helpers/legacy-schedule';

// The leader keeps the definitions of the schedules it fires and reads only their state hashes
// while those say nothing changed.

let f: LeaderFixture;

beforeEach(async () => {
  f = await leaderFixture();
});

afterEach(async () => {
  await f.close();
});

async function readTask(id: string): Promise<string | undefined> {
  const [stored] = await f.store.readSchedules([id]);
  return stored?.spec.task;
}

describe("the leader's definition cache", () => {
  it('takes an unchanged definition from the cache without reading its key', async () => {
    await f.client.add({ id: 'report', task: 'build', trigger: { every: '1m' } });
    expect(await readTask('report')).toBe('build');
    // Behind the cache's back: had it read the key, the schedule would be gone.
    const definition = await f.redis.get(f.keys.definition('report'));
    await f.redis.del(f.keys.definition('report'));
    expect(await readTask('report')).toBe('build');
    await f.redis.set(f.keys.definition('report'), definition as string);
  });

  it('reads the definition again once the schedule changed', async () => {
    await f.client.add({ id: 'report', task: 'build', trigger: { every: '1m' } });
    expect(await readTask('report')).toBe('build');
    await f.client.update('report', { task: 'rebuild' });
    expect(await readTask('report')).toBe('rebuild');
    await f.client.pause('report');
    expect((await f.store.readSchedules(['report']))[0]).toMatchObject({ paused: true, spec: { task: 'rebuild' } });
  });

  it('reads the definition of a schedule removed and added again under the same id (version 1 again)', async () => {
    await f.client.add({ id: 'report', task: 'build', trigger: { every: '1m' } });
    expect(await readTask('report')).toBe('build');
    await f.client.remove('report');
    expect(await f.store.readSchedules(['report'])).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 2));
    await f.client.add({ id: 'report', task: 'other', trigger: { every: '1m' } });
    expect(await f.redis.hget(f.keys.schedule('report'), 'version')).toBe('1');
    expect(await readTask('report')).toBe('other');
  });

  it('reads schedules of the older layout (definition in the hash) and of both layouts in one call', async () => {
    await writeLegacySchedule(f.redis, f.keys, { id: 'old', task: 'legacy', trigger: { every: '1m' } }, f.clock.nowMs);
    await f.client.add({ id: 'new', task: 'current', trigger: { every: '1m' } });
    for (let round = 0; round < 2; round++) {
      expect((await f.store.readSchedules(['old', 'new', 'missing'])).map((stored) => stored.spec.task)).toEqual(['legacy', 'current']);
    }
  });
});
