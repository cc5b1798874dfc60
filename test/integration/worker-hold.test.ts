import type { RunJobData } from '@sundial/shared';
import { Job } from 'bullmq';
import { setTimeout as sleep } from 'node:timers/promises';
import { waitFor, workerFixture, type WorkerFixture } from '../helpers/worker-fixture';

/**
 * Runs handed over ahead of their time (a coordinator's lookahead) carry `fireAt`; the worker that
 * takes one holds it until then, outside its concurrency while it has prefetch to spare.
 */

jest.setTimeout(30_000);

const LOOKAHEAD_MS = 60_000;
let w: WorkerFixture;

beforeEach(async () => {
  w = await workerFixture({ lookaheadMs: LOOKAHEAD_MS });
});

afterEach(async () => {
  await w.close();
});

/** Adds `count` jobs for `task` due `inMs` from now, as a coordinator with a lookahead hands them over. */
async function addAhead(task: string, count: number, inMs: number): Promise<{ runIds: string[]; fireAtMs: number }> {
  const fireAtMs = Date.now() + inMs;
  const jobs = Array.from({ length: count }, (_, index) => {
    const data: RunJobData = { runId: `ahead-${task}@${fireAtMs}-${index}`, scheduleId: `ahead-${task}`, task, kind: 'scheduled', fireTime: new Date(fireAtMs).toISOString(), fireAt: new Date(fireAtMs).toISOString(), data: {} };
    return { name: task, data, opts: { jobId: data.runId } };
  });
  await w.queue().addBulk(jobs);
  return { runIds: jobs.map((job) => job.data.runId), fireAtMs };
}

/** Adds a one-off schedule firing at `atMs` and lets the leader commit and hand it over 30 s ahead; returns its run id. */
async function handAheadAt(id: string, atMs: number): Promise<string> {
  const { schedule } = await w.leader.client.add({ id, task: id, trigger: { at: new Date(atMs).toISOString() } });
  const fireMs = Date.parse(schedule.state.nextFireTime as string);
  w.leader.clock.nowMs = fireMs - 30_000;
  expect(await w.leader.loop.tick(w.leader.lease)).toMatchObject({ enqueued: 1 });
  return `${id}@${fireMs}`;
}

const activeCount = async (): Promise<number> => (await w.queue().getJobCounts('active')).active ?? 0;

describe('runs handed over ahead of their time', () => {
  it('are held until their time, beyond the concurrency up to the prefetch', async () => {
    const startedAt: number[] = [];
    const worker = await w.start({ concurrency: 1, prefetch: 3, port: 0, tasks: [{ name: 'tick', handler: () => void startedAt.push(Date.now()) }] });
    const held = async (): Promise<string | undefined> => (await (await fetch(`http://127.0.0.1:${worker.httpPort}/metrics`)).text()).match(/^sundial_runs_held\{task="tick"\} (\d+)$/m)?.[1];
    const { fireAtMs } = await addAhead('tick', 3, 3_000);
    // All three are taken and held at once, although only one may run at a time.
    await waitFor('three held runs', async () => ((await activeCount()) === 3 && (await held()) === '3' ? true : undefined));
    expect(startedAt).toEqual([]);
    await waitFor('three runs', () => (startedAt.length === 3 ? true : undefined));
    expect(await held()).toBe('0');
    // Never before their time (the worker's clock is Redis', a few ms from this process's at most).
    for (const started of startedAt) expect(started).toBeGreaterThanOrEqual(fireAtMs - 20);
  });

  it('are taken by several BullMQ workers side by side when the prefetch is large', async () => {
    const started: string[] = [];
    await w.start({ concurrency: 10, prefetch: 590, tasks: [{ name: 'tick', handler: (run) => void started.push(run.runId) }] });
    const { runIds } = await addAhead('tick', 600, 4_000);
    await waitFor('600 held runs', async () => ((await activeCount()) === 600 ? true : undefined));
    // A job's lock holds the token of the BullMQ worker that took it: `<worker id>:<n>`.
    const locks = await Promise.all(runIds.map((runId) => w.leader.redis.get(`${w.leader.keys.bullPrefix}:default:${runId}:lock`)));
    expect(new Set(locks.map((token) => token?.slice(0, token.lastIndexOf(':')))).size).toBe(3);
    await waitFor('600 runs', () => (started.length === 600 ? true : undefined));
  });

  it("are held while the worker's clock may still be before their time, though its estimate is past it", async () => {
    const startedAt: number[] = [];
    // Its estimate is the local time; it may be up to 1.5 s ahead of the truth.
    const clock = { now: () => Date.now(), earliestNow: () => Date.now() - 1_500 };
    await w.start({ concurrency: 1, prefetch: 1, clock, tasks: [{ name: 'tick', handler: () => void startedAt.push(Date.now()) }] });
    const { fireAtMs } = await addAhead('tick', 1, 0);
    await waitFor('the run', () => (startedAt.length === 1 ? true : undefined));
    expect(startedAt[0]).toBeGreaterThanOrEqual(fireAtMs + 1_500);
  });

  it('are held within the concurrency without a prefetch', async () => {
    const started: string[] = [];
    await w.start({ concurrency: 1, tasks: [{ name: 'tick', handler: (run) => void started.push(run.runId) }] });
    const { runIds } = await addAhead('tick', 3, 2_000);
    await waitFor('a held run', async () => ((await activeCount()) === 1 ? true : undefined));
    await sleep(300);
    expect(await w.queue().getJobCounts('active', 'waiting')).toMatchObject({ active: 1, waiting: 2 });
    await waitFor('three runs', () => (started.length === 3 ? true : undefined));
    expect([...started].sort()).toEqual([...runIds].sort());
  });

  it('go back to their queue until their time when the worker shuts down', async () => {
    const started: string[] = [];
    const worker = await w.start({ concurrency: 1, prefetch: 1, tasks: [{ name: 'tick', handler: (run) => void started.push(run.runId) }] });
    const { runIds, fireAtMs } = await addAhead('tick', 1, 60_000);
    await waitFor('a held run', async () => ((await activeCount()) === 1 ? true : undefined));
    await worker.close();
    const job = await Job.fromId(w.queue(), runIds[0] as string);
    expect(await job?.getState()).toBe('delayed');
    // Delayed until about its time, so the next worker does not hold it for a minute.
    expect((job?.timestamp ?? 0) + (job?.delay ?? 0)).toBeGreaterThan(fireAtMs - 1_000);
    expect(started).toEqual([]);
  });

  it('record their start while the handler runs, in order, numbered from the record', async () => {
    const ran: number[] = [];
    const runId = await handAheadAt('report', Date.now() + 2_000);
    await w.start({ concurrency: 1, prefetch: 1, tasks: [{ name: 'report', handler: (run) => void ran.push(run.attempt) }] });
    expect(await w.settled(runId)).toMatchObject({ status: 'succeeded', attempts: 1 });
    expect(ran).toEqual([1]);
    expect(await w.events(runId)).toEqual(['run.enqueued', 'run.started 1', 'run.succeeded 1']);
  });

  it('start in the slot a finished handler gave back while its outcome is still being recorded', async () => {
    const observer = w.leader.redis.duplicate();
    try {
      const seen: (string | null)[] = [];
      const first = await handAheadAt('first', Date.now() + 2_000);
      const second = await handAheadAt('second', Date.now() + 2_000);
      await w.start({
        concurrency: 1,
        prefetch: 2,
        tasks: [
          // Writes pause once the first handler ends, so its outcome cannot be recorded for a while.
          { name: 'first', handler: async () => void (await observer.call('CLIENT', 'PAUSE', '400', 'WRITE')) },
          { name: 'second', handler: async () => void seen.push(await observer.hget(w.leader.keys.run(first), 'status')) },
        ],
      });
      expect(await w.settled(second)).toMatchObject({ status: 'succeeded' });
      expect(await w.settled(first)).toMatchObject({ status: 'succeeded' });
      // The second handler ran before the first run's outcome was recorded: the slot came back with the handler's end.
      expect(seen).toHaveLength(1);
      expect(['enqueued', 'running']).toContain(seen[0]);
    } finally {
      observer.disconnect();
    }
  });

  it('are dropped without running when their record is final already', async () => {
    const ran: string[] = [];
    const runId = await handAheadAt('report', Date.now() + 20_000);
    // As if a duplicate job of a run that succeeded already.
    await w.leader.redis.hset(w.leader.keys.run(runId), 'status', 'succeeded');
    await w.start({ concurrency: 1, prefetch: 1, tasks: [{ name: 'report', handler: (run) => void ran.push(run.runId) }] });
    await waitFor('the job to complete', async () => ((await w.queue().getJobCounts('completed')).completed === 1 ? true : undefined));
    expect(ran).toEqual([]);
  });

  it('are cancelled while held, without running', async () => {
    const ran: string[] = [];
    await w.start({ concurrency: 1, prefetch: 1, tasks: [{ name: 'report', handler: (run) => void ran.push(run.runId) }] });
    const runId = await handAheadAt('report', Date.now() + 40_000);
    await waitFor('the held run', async () => ((await activeCount()) === 1 ? true : undefined));
    const cancelled = w.leader.client.cancelRun(runId);
    // The leader carries the cancellation out: the job is active, so its worker is told to abort it.
    await waitFor('the cancellation request', async () => ((await w.leader.redis.hlen(w.leader.keys.cancels)) === 1 ? true : undefined));
    await w.leader.loop.tick(w.leader.lease);
    expect(await cancelled).toMatchObject({ runId, status: 'cancelled', reason: 'operator' });
    expect(ran).toEqual([]);
  });
});
