import { Job, Queue } from 'bullmq';
import { leaderFixture, type LeaderFixture } from '../helpers/leader-fixture';

/**
 * The coordinator's lookahead: fire times up to `lookaheadMs` ahead are committed early and handed
 * to BullMQ as delayed jobs, which a worker starts at their fire time, not before; committing
 * them again at their time adds nothing.
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
  it('commits a fire time ahead as a delayed job, once, and a worker starts it no earlier than its delay', async () => {
    const first = await addEveryMinute('report');
    expect((await tickAt(first - LOOKAHEAD_MS - 1)).enqueued).toBe(0);
    const committedAt = Date.now();
    expect((await tickAt(first - 1_500)).enqueued).toBe(1);
    const job = await Job.fromId(queue, `report@${first}`);
    expect(await job?.getState()).toBe('delayed');
    expect(job?.opts.delay).toBe(1_500);
    const [run] = await f.client.listRuns({ scheduleId: 'report' });
    expect(run).toMatchObject({ runId: `report@${first}`, status: 'enqueued', fireTime: new Date(first).toISOString() });

    // At its time the fire is already committed: nothing is added twice.
    expect((await tickAt(first)).enqueued).toBe(0);
    expect((await tickAt(first + 30_000)).enqueued).toBe(0);

    const worker = f.worker();
    await worker.until(() => worker.started.length === 1);
    expect(worker.started).toEqual([`report@${first}`]);
    const processedOn = (await Job.fromId(queue, `report@${first}`))?.processedOn ?? 0;
    expect(processedOn - committedAt).toBeGreaterThanOrEqual(1_500);
  });

  it('sleeps until a lookahead before the earliest due time', async () => {
    const first = await addEveryMinute('sync');
    f.clock.nowMs = first - 10_000;
    const loop = f.loop as unknown as { sleepMs(): Promise<number> };
    await expect(loop.sleepMs()).resolves.toBe(1_000);
    f.clock.nowMs = first - LOOKAHEAD_MS - 300;
    await expect(loop.sleepMs()).resolves.toBe(300);
    f.clock.nowMs = first - 1_000;
    await expect(loop.sleepMs()).resolves.toBe(0);
  });
});
