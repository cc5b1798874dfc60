import { Job, Queue } from 'bullmq';
import { leaderFixture, type LeaderFixture } from '../helpers/leader-fixture';

/**
 * The coordinator's lookahead: fire times up to `lookaheadMs` ahead are committed early (the
 * costly part: state, run record, event) and wait in the outbox; their jobs are added to BullMQ
 * at their fire time, once, and committing them again at their time adds nothing.
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
  it('commits a fire time ahead, adds its job at its time, once, and a worker runs it', async () => {
    const first = await addEveryMinute('report');
    expect(await tickAt(first - LOOKAHEAD_MS - 1)).toMatchObject({ enqueued: 0, dispatched: 0 });
    expect(await tickAt(first - 1_500)).toMatchObject({ enqueued: 1, dispatched: 0 });
    expect(await Job.fromId(queue, `report@${first}`)).toBeUndefined();
    const [run] = await f.client.listRuns({ scheduleId: 'report' });
    expect(run).toMatchObject({ runId: `report@${first}`, status: 'enqueued', fireTime: new Date(first).toISOString() });
    expect(await tickAt(first - 1)).toMatchObject({ enqueued: 0, dispatched: 0 });

    // At its time the job is added, with no delay; the fire is not committed a second time.
    expect(await tickAt(first)).toMatchObject({ enqueued: 0, dispatched: 1 });
    const job = await Job.fromId(queue, `report@${first}`);
    expect(job?.opts.delay ?? 0).toBe(0);
    expect(await tickAt(first + 30_000)).toMatchObject({ enqueued: 0, dispatched: 0 });

    const worker = f.worker();
    await worker.until(() => worker.started.length === 1);
    expect(worker.started).toEqual([`report@${first}`]);
  });

  it('sleeps until a lookahead before the earliest due time, or until a run committed ahead is due', async () => {
    const first = await addEveryMinute('sync');
    const loop = f.loop as unknown as { sleepMs(): Promise<number> };
    f.clock.nowMs = first - 10_000;
    await expect(loop.sleepMs()).resolves.toBe(1_000);
    f.clock.nowMs = first - LOOKAHEAD_MS - 300;
    await expect(loop.sleepMs()).resolves.toBe(300);
    await tickAt(first - 1_200);
    // The next fire is a minute away; the run committed ahead is due in 1.2 s (capped by maxSleepMs).
    await expect(loop.sleepMs()).resolves.toBe(1_000);
    f.clock.nowMs = first - 400;
    await expect(loop.sleepMs()).resolves.toBe(400);
  });
});
