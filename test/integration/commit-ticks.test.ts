import {
  LeaseLostError,
  buildRunJob,
  compileTriggerCached,
  parseEventEntry,
  planFires,
  scheduledRunId,
  type StoredSchedule,
  type SundialEvent,
  type TickToCommit,
} from '@sundial/shared';
import { TICKS_PER_COMMIT } from '../../packages/shared/src/store/leader-store';
import { leaderFixture, type LeaderFixture } from '../helpers/leader-fixture';

const MINUTE = 60_000;
let f: LeaderFixture;

beforeEach(async () => {
  f = await leaderFixture();
});

afterEach(async () => {
  await f.close();
});

/** Adds every-minute schedules (overlap allow) and returns the time at which all of them are due. */
async function addEveryMinute(ids: readonly string[]): Promise<number> {
  let dueAt = 0;
  for (const id of ids) {
    const { schedule } = await f.client.add({ id, task: 'work', trigger: { every: '1m' }, overlap: 'allow' });
    dueAt = Math.max(dueAt, Date.parse(schedule.state.nextFireTime as string));
  }
  return dueAt;
}

async function read(ids: readonly string[]): Promise<StoredSchedule[]> {
  const schedules = await f.store.readSchedules(ids);
  expect(schedules.map((stored) => stored.spec.id)).toEqual(ids);
  return schedules;
}

/** A tick as the fire loop plans it: every due fire time enqueued. */
function tickOf(stored: StoredSchedule, nowMs: number): TickToCommit {
  const { spec } = stored;
  const plan = planFires({ trigger: compileTriggerCached(spec.trigger), seed: spec.id, lastNominalMs: stored.lastNominalMs, nowMs, misfireGraceMs: null, coalesce: 'all', catchUpLimit: 100 });
  const runs = plan.enqueue.map((fire) => {
    const runId = scheduledRunId(spec.id, fire.nominalMs);
    return { runId, kind: 'scheduled' as const, nominalMs: fire.nominalMs, fireAtMs: fire.fireAtMs, job: buildRunJob(spec, runId, 'scheduled', fire.nominalMs) };
  });
  return { stored, plan, runs };
}

async function events(): Promise<SundialEvent[]> {
  return (await f.redis.xrange(f.keys.events, '-', '+')).flatMap(([id, fields]) => parseEventEntry(id, fields) ?? []);
}

async function scheduleHashes(ids: readonly string[]): Promise<Record<string, string>[]> {
  return Promise.all(ids.map((id) => f.redis.hgetall(f.keys.schedule(id))));
}

describe('committing the ticks of many schedules in one script call', () => {
  it('applies each schedule on its own: one commits, a changed one is stale, a removed one gone, a paused one refused', async () => {
    const ids = ['fresh', 'changed', 'removed', 'paused'];
    const dueAt = await addEveryMinute(ids);
    await f.client.pause('paused');
    // Read after the pause (same version), so only the paused flag can refuse it.
    const schedules = await read(ids);
    await f.client.update('changed', { data: { v: 2 } });
    await f.client.remove('removed');
    const before = await scheduleHashes(['changed', 'paused']);
    const eventsBefore = (await events()).length;

    const results = await f.store.commitTicks(f.lease, schedules.map((stored) => tickOf(stored, dueAt)), dueAt);

    expect(results).toEqual([{ status: 'done', outcomes: { [`fresh@${dueAt}`]: 'enqueued' } }, { status: 'stale' }, { status: 'gone' }, { status: 'stale' }]);
    expect(await f.redis.hgetall(f.keys.schedule('fresh'))).toMatchObject({ last: String(dueAt), lastFire: String(dueAt), next: String(dueAt + MINUTE), nextAt: String(dueAt + MINUTE), updatedAt: String(dueAt), backlog: '', enqueued: '1' });
    expect(await f.redis.hgetall(f.keys.run(`fresh@${dueAt}`))).toMatchObject({ runId: `fresh@${dueAt}`, scheduleId: 'fresh', task: 'work', status: 'enqueued', fireTime: String(dueAt), epoch: String(f.lease.epoch) });
    expect(await scheduleHashes(['changed', 'paused'])).toEqual(before);
    expect(await f.redis.zrange(f.keys.due, 0, -1, 'WITHSCORES')).toEqual(['changed', String(dueAt), 'fresh', String(dueAt + MINUTE)]);
    // The run's job is added by the same script: waiting in its queue, nothing in the outbox.
    expect(await f.redis.lrange(`${f.keys.bullPrefix}:default:wait`, 0, -1)).toEqual([`fresh@${dueAt}`]);
    expect(await f.redis.zcard(f.keys.outbox)).toBe(0);
    expect(await f.redis.zrange(f.keys.runs, 0, -1)).toEqual([`fresh@${dueAt}`]);
    expect((await events()).slice(eventsBefore).map((event) => [event.type, event.scheduleId])).toEqual([['run.enqueued', 'fresh']]);
  });

  it('a one-shot schedule in a batch finishes: it leaves the due set, with its event before its run', async () => {
    const dueAt = await addEveryMinute(['steady']);
    await f.client.add({ id: 'once', task: 'work', trigger: { at: new Date(dueAt).toISOString() } });
    const schedules = await read(['steady', 'once']);
    const eventsBefore = (await events()).length;

    await f.store.commitTicks(f.lease, schedules.map((stored) => tickOf(stored, dueAt)), dueAt);

    expect(await f.redis.hgetall(f.keys.schedule('once'))).toMatchObject({ last: String(dueAt), lastFire: String(dueAt), next: '', nextAt: '' });
    expect(await f.redis.zrange(f.keys.due, 0, -1)).toEqual(['steady']);
    expect((await events()).slice(eventsBefore).map((event) => [event.type, event.scheduleId, event.reason])).toEqual([
      ['run.enqueued', 'steady', undefined],
      ['schedule.updated', 'once', 'finished'],
      ['run.enqueued', 'once', undefined],
    ]);
  });

  it('a leader that lost its lease writes nothing for any schedule of the batch', async () => {
    const ids = ['a', 'b', 'c'];
    const dueAt = await addEveryMinute(ids);
    const schedules = await read(ids);
    const stale = f.lease;
    await f.reelect();
    const before = await scheduleHashes(ids);
    const eventsBefore = await events();

    await expect(f.store.commitTicks(stale, schedules.map((stored) => tickOf(stored, dueAt)), dueAt)).rejects.toThrow(LeaseLostError);

    expect(await scheduleHashes(ids)).toEqual(before);
    expect(await f.redis.exists(`${f.keys.bullPrefix}:default:wait`)).toBe(0);
    expect(await f.redis.zcard(f.keys.outbox)).toBe(0);
    expect(await f.redis.zcard(f.keys.runs)).toBe(0);
    expect(await events()).toEqual(eventsBefore);
  });

  it('keeps outcomes with their schedules across script calls, and records events in the order of the ticks', async () => {
    const ids = Array.from({ length: TICKS_PER_COMMIT * 2 + 5 }, (_, i) => `s${String(i).padStart(3, '0')}`);
    const dueAt = await addEveryMinute(ids);
    // Two fire times due for the even ones: their runs follow each other in the arguments.
    const nowMs = dueAt + MINUTE;
    const schedules = await read(ids);
    const ticks = schedules.map((stored, i) => tickOf(stored, i % 2 === 0 ? nowMs : dueAt));
    const eventsBefore = (await events()).length;

    const results = await f.store.commitTicks(f.lease, ticks, nowMs);

    expect(results).toEqual(
      ticks.map((tick) => ({ status: 'done', outcomes: Object.fromEntries(tick.runs.map((run) => [run.runId, 'enqueued'])) })),
    );
    const enqueued = (await events()).slice(eventsBefore).map((event) => event.runId);
    expect(enqueued).toEqual(ticks.flatMap((tick) => tick.runs.map((run) => run.runId)));
    const again = await f.store.commitTicks(f.lease, ticks, nowMs);
    expect(again).toEqual(ticks.map((tick) => ({ status: 'done', outcomes: Object.fromEntries(tick.runs.map((run) => [run.runId, 'duplicate'])) })));
  });

  it('the fire loop commits a batch larger than one script call, each fire once', async () => {
    const ids = Array.from({ length: TICKS_PER_COMMIT + 20 }, (_, i) => `loop${i}`);
    const dueAt = await addEveryMinute(ids);
    f.clock.nowMs = dueAt;
    const loop = f.loop as unknown as { options: { batchSize: number } };
    loop.options.batchSize = ids.length;
    // The commits add the jobs: nothing is left for the dispatcher.
    expect(await f.loop.tick(f.lease)).toMatchObject({ schedules: ids.length, enqueued: ids.length, dispatched: 0 });
    expect(await f.redis.llen(`${f.keys.bullPrefix}:default:wait`)).toBe(ids.length);
    expect(await f.loop.tick(f.lease)).toMatchObject({ schedules: 0, enqueued: 0 });
    expect((await f.redis.zrange(f.keys.runs, 0, -1)).sort()).toEqual(ids.map((id) => `${id}@${dueAt}`).sort());
  });
});
