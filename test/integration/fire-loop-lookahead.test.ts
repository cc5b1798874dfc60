import { Job, Queue } from 'bullmq';
import { leaderFixture, type LeaderFixture } from '../helpers/leader-fixture';

/**
 * The coordinator's lookahead: fire times up to `lookaheadMs` ahead are committed early (the
 * costly part: state, run record, event) and handed to BullMQ at once as waiting jobs that carry
 * their time (`fireAt`), for the worker to hold until then; committing them again adds nothing.
 */
const LOOKAHEAD_MS = 2_000;
let f: LeaderFixture;
let queue: Queue;

beforeEach(async () => {
  f = await leaderFixture({ lookaheadMs: LOOKAHEAD_MS });
  queue = new Queue('default', { connection: f.redis, prefix: f.keys.bullPrefix });
});

afterEach(async () => {
  await queue.close();
  await f.close();
});

async function addEveryMinute(id: string): Promise<number> {
  const { schedule } = await f.client.add({ id, task: 'work', trigger: { every: '1m' }, overlap: 'skip' });
  return Date.parse(schedule.state.nextFireTime as string);
}

async function tickAt(ms: number) {
  f.clock.nowMs = ms;
  return f.loop.tick(f.lease);
}

describe('the fire loop with a lookahead', () => {
  it('commits a fire time ahead and hands its job over at once, carrying its time, once', async () => {
    const first = await addEveryMinute('report');
    expect(await tickAt(first - LOOKAHEAD_MS - 1)).toMatchObject({ enqueued: 0, dispatched: 0 });
    expect(await tickAt(first - 1_500)).toMatchObject({ enqueued: 1 });
    const job = await Job.fromId(queue, `report@${first}`);
    // A waiting job, not a BullMQ delayed one: the worker holds it until `fireAt`.
    expect(job?.opts.delay ?? 0).toBe(0);
    expect(await job?.getState()).toBe('waiting');
    expect(job?.data).toMatchObject({ runId: `report@${first}`, fireTime: new Date(first).toISOString(), fireAt: new Date(first).toISOString() });
    const [run] = await f.client.listRuns({ scheduleId: 'report' });
    expect(run).toMatchObject({ runId: `report@${first}`, status: 'enqueued', fireTime: new Date(first).toISOString() });

    // At its time the fire is not committed or handed over a second time.
    expect(await tickAt(first)).toMatchObject({ enqueued: 0, dispatched: 0 });
    expect(await tickAt(first + 30_000)).toMatchObject({ enqueued: 0, dispatched: 0 });
    expect(await queue.getJobCountByTypes('waiting', 'delayed', 'active')).toBe(1);
  });

  it('hands a run that is due already over without a time to hold it until', async () => {
    const first = await addEveryMinute('late');
    expect(await tickAt(first + 10)).toMatchObject({ enqueued: 1 });
    const job = await Job.fromId(queue, `late@${first}`);
    expect(job?.data).toMatchObject({ runId: `late@${first}` });
    expect(job?.data).not.toHaveProperty('fireAt');
  });

  it('sleeps until a lookahead before the earliest due time', async () => {
    const first = await addEveryMinute('sync');
    const loop = f.loop as unknown as { sleepMs(): Promise<number> };
    f.clock.nowMs = first - 10_000;
    await expect(loop.sleepMs()).resolves.toBe(1_000);
    f.clock.nowMs = first - LOOKAHEAD_MS - 300;
    await expect(loop.sleepMs()).resolves.toBe(300);
    // Committed with its job: nothing waits in the outbox; the next fire is a minute away (capped by maxSleepMs).
    await tickAt(first - 1_200);
    await expect(loop.sleepMs()).resolves.toBe(1_000);
  });

  it('commits a fire time only once even the earliest the clock may be has reached it', async () => {
    const first = await addEveryMinute('report');
    // The clock says the time is here, but may be up to 3 ms ahead of the truth.
    f.clock.uncertaintyMs = 3;
    expect(await tickAt(first - LOOKAHEAD_MS)).toMatchObject({ enqueued: 0 });
    expect(await tickAt(first - LOOKAHEAD_MS + 3)).toMatchObject({ enqueued: 1 });
  });
});
