import { Redis } from 'ioredis';
import { LeaderStore, type TickToCommit } from '@sundial/shared';
import pino from 'pino';
import { FireLoop } from '../../packages/coordinator/src/fire-loop/fire-loop';
import { leaderFixture, type LeaderFixture } from '../helpers/leader-fixture';
import { closeClient } from '../support/redis-client';
import { testRedisUrl } from '../support/namespace';

/**
 * The fire loop keeps two batches in flight: while Redis commits one, the next is read on the
 * store's read connection and planned. A schedule whose commit is under way is still due in
 * Redis, so the next read must leave it out.
 */
const BATCH_SIZE = 4;
const SCHEDULES = 4 * BATCH_SIZE + 1;

let f: LeaderFixture;
let reads: Redis;
let store: LeaderStore;

beforeEach(async () => {
  f = await leaderFixture();
  reads = new Redis(testRedisUrl(), { maxRetriesPerRequest: null });
  store = new LeaderStore(f.redis, f.keys, { historyLimit: 1_000, eventsMaxLength: 10_000, readConnection: reads });
});

afterEach(async () => {
  await f.close();
  await closeClient(reads);
});

function loopOn(leaderStore: LeaderStore): FireLoop {
  return new FireLoop(leaderStore, { lease: () => f.lease, markLost: () => undefined }, f.dispatcher, f.clock, { batchSize: BATCH_SIZE, maxSleepMs: 1_000, maxFiresPerTick: 100, cancelChannel: f.keys.cancelChannel }, pino({ level: 'silent' }));
}

/** Adds `count` every-minute schedules and moves the clock to when all of them are due. */
async function addDueSchedules(count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, (_, i) => `s${String(i).padStart(2, '0')}`);
  for (const id of ids) {
    const { schedule } = await f.client.add({ id, task: 'work', trigger: { every: '1m' }, overlap: 'allow' });
    f.clock.nowMs = Math.max(f.clock.nowMs, Date.parse(schedule.state.nextFireTime as string));
  }
  return ids;
}

describe('the fire loop reading the next batch while the previous one commits', () => {
  it('leaves the schedules whose commit is under way out of the next read, so each fires once', async () => {
    const ids = await addDueSchedules(SCHEDULES);
    const excludedAtRead: string[][] = [];
    const readIds = store.dueScheduleIds.bind(store);
    let readsAnswered = 0;
    const readAnswered: (() => void)[] = [];
    jest.spyOn(store, 'dueScheduleIds').mockImplementation(async (nowMs, limit, excluded) => {
      const left = [...(excluded ?? [])].sort();
      const answer = await readIds(nowMs, limit, excluded);
      if (answer.length > 0) excludedAtRead.push(left);
      readsAnswered += 1;
      readAnswered.splice(0).forEach((resolve) => resolve());
      return answer;
    });
    const commit = store.commitTicks.bind(store);
    const committed: string[][] = [];
    jest.spyOn(store, 'commitTicks').mockImplementation(async (lease, ticks: readonly TickToCommit[], nowMs) => {
      // A full batch commits only once the next read has been answered: the read happens while the
      // schedules of this batch are still due in Redis.
      if (ticks.length === BATCH_SIZE) {
        const target = readsAnswered + 1;
        while (readsAnswered < target) await new Promise<void>((resolve) => readAnswered.push(resolve));
      }
      committed.push(ticks.map((tick) => tick.stored.spec.id));
      return commit(lease, ticks, nowMs);
    });

    const summary = await loopOn(store).tick(f.lease);

    expect(summary).toMatchObject({ schedules: SCHEDULES, enqueued: SCHEDULES });
    expect(committed.flat().sort()).toEqual(ids);
    // Every read that found schedules, after the first, left out exactly the batch then committing.
    expect(excludedAtRead[0]).toEqual([]);
    expect(excludedAtRead).toHaveLength(committed.length);
    excludedAtRead.slice(1).forEach((excluded, index) => expect(excluded).toEqual([...(committed[index] ?? [])].sort()));
    expect(await f.redis.llen(`${f.keys.bullPrefix}:default:wait`)).toBe(SCHEDULES);
  });

  it('fires every due schedule once over many batches, on one connection or with a read connection', async () => {
    const ids = await addDueSchedules(SCHEDULES);
    const summary = await loopOn(store).tick(f.lease);
    expect(summary).toMatchObject({ schedules: SCHEDULES, enqueued: SCHEDULES });
    const runs = await f.client.listRuns({ limit: 100 });
    expect(runs.map((run) => run.scheduleId).sort()).toEqual(ids);
    // A minute on, the single-connection store fires each again, once.
    f.clock.nowMs += 60_000;
    expect(await loopOn(f.store).tick(f.lease)).toMatchObject({ schedules: SCHEDULES, enqueued: SCHEDULES });
    expect(await f.client.listRuns({ limit: 100 })).toHaveLength(2 * SCHEDULES);
  });
});

describe('a tick taking what comes due while it commits', () => {
  it('takes a fire time that came due while the previous batch committed, in the same tick', async () => {
    await addDueSchedules(BATCH_SIZE);
    const firstBatchDue = f.clock.nowMs;
    const { schedule } = await f.client.add({ id: 'later', task: 'work', trigger: { every: '1m', start: new Date(firstBatchDue + 30_000).toISOString() }, overlap: 'allow' });
    const laterDue = Date.parse(schedule.state.nextFireAt as string);
    expect(laterDue).toBeGreaterThan(firstBatchDue);
    const commit = store.commitTicks.bind(store);
    jest.spyOn(store, 'commitTicks').mockImplementation(async (lease, ticks: readonly TickToCommit[], nowMs) => {
      // Time passes while the first batch commits.
      f.clock.nowMs = Math.max(f.clock.nowMs, laterDue);
      return commit(lease, ticks, nowMs);
    });

    expect(await loopOn(store).tick(f.lease)).toMatchObject({ schedules: BATCH_SIZE + 1, enqueued: BATCH_SIZE + 1 });
    expect((await f.client.listRuns({ scheduleId: 'later' })).map((run) => run.fireTime)).toEqual([new Date(laterDue).toISOString()]);
  });

  it('leaves a schedule with a backlog to the next tick instead of taking it again', async () => {
    const { schedule } = await f.client.add({ id: 'behind', task: 'work', trigger: { every: '1m' }, overlap: 'allow', coalesce: 'earliest' });
    f.clock.nowMs = Date.parse(schedule.state.nextFireTime as string) + 5 * 60_000;
    const loop = new FireLoop(store, { lease: () => f.lease, markLost: () => undefined }, f.dispatcher, f.clock, { batchSize: BATCH_SIZE, maxSleepMs: 1_000, maxFiresPerTick: 2, cancelChannel: f.keys.cancelChannel }, pino({ level: 'silent' }));

    expect(await loop.tick(f.lease)).toMatchObject({ schedules: 1 });
    expect((await store.readSchedules(['behind']))[0]?.inBacklog).toBe(true);
    expect(await loop.tick(f.lease)).toMatchObject({ schedules: 1 });
  });
});

describe('a due entry whose schedule cannot be read', () => {
  it('is read once per tick, not again by every batch', async () => {
    await addDueSchedules(2);
    // A due entry without its schedule, as a hand edit of Redis would leave it.
    await f.redis.zadd(f.keys.due, f.clock.nowMs - 1, 'ghost');
    const readIds = store.dueScheduleIds.bind(store);
    const answers: string[][] = [];
    jest.spyOn(store, 'dueScheduleIds').mockImplementation(async (nowMs, limit, excluded) => {
      const answer = await readIds(nowMs, limit, excluded);
      answers.push(answer);
      return answer;
    });

    expect(await loopOn(store).tick(f.lease)).toMatchObject({ schedules: 2, enqueued: 2 });
    expect(answers.filter((answer) => answer.includes('ghost'))).toHaveLength(1);
  });
});

describe("the leader store's reads", () => {
  it('answers on its read connection while the main connection waits on a blocking command', async () => {
    await addDueSchedules(3);
    const blocked = f.redis.blpop(`${f.keys.bullPrefix}:test-unblock`, 0);
    let unblocked = false;
    void blocked.then(() => (unblocked = true));
    const due = await store.dueScheduleIds(f.clock.nowMs, 10);
    const [first] = await store.readSchedules(due);
    expect(unblocked).toBe(false);
    expect(due).toHaveLength(3);
    expect(first?.spec.id).toBe(due[0]);
    await reads.lpush(`${f.keys.bullPrefix}:test-unblock`, 'go');
    await blocked;
  });

  it('leaves excluded ids out and still returns up to the limit', async () => {
    const ids = await addDueSchedules(6);
    const due = await store.dueScheduleIds(f.clock.nowMs, 3, new Set(ids.slice(0, 2)));
    expect(due).toHaveLength(3);
    expect(due.some((id) => ids.slice(0, 2).includes(id))).toBe(false);
  });
});
