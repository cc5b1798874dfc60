import type { TaskContext } from '@sundial/worker';
import { waitFor, workerFixture, type WorkerFixture } from '../helpers/worker-fixture';

// Where a run stands in its attempts (attempt, round, roundStart) is kept in its run record, not in
// its BullMQ job; only a run without a record keeps it in its job's data. Runs are fired through
// the coordinator's path and executed by Sundial workers in this process.

jest.setTimeout(30_000);

let w: WorkerFixture;

beforeEach(async () => {
  w = await workerFixture();
});

afterEach(async () => {
  await w.close();
});

/** The data of a run's BullMQ job, as stored in its hash. */
async function storedJobData(runId: string): Promise<Record<string, unknown>> {
  const data = await w.leader.redis.hget(w.queue().toKey(runId), 'data');
  if (data === null) throw new Error(`run ${runId} has no job`);
  return JSON.parse(data) as Record<string, unknown>;
}

/** The attempt state a run record keeps. */
async function recordedAttemptState(runId: string): Promise<(string | null)[]> {
  return w.leader.redis.hmget(w.leader.keys.run(runId), 'attempts', 'round', 'roundStart');
}

describe('attempt state (real Redis and BullMQ)', () => {
  it("counts a run's attempts in its record and leaves its job's data alone", async () => {
    const seen: { attempt: number; jobData: Record<string, unknown> }[] = [];
    await w.start({
      tasks: [
        {
          name: 'flaky',
          retry: { attempts: 3, backoff: 'fixed', delayMs: 5 },
          handler: async ({ runId, attempt }: TaskContext) => {
            seen.push({ attempt, jobData: await storedJobData(runId) });
            if (attempt < 3) throw new Error(`attempt ${attempt}`);
            return 'done';
          },
        },
      ],
    });
    const [runId] = (await w.fire('flaky', 'flaky')) as [string];
    expect(await w.settled(runId)).toMatchObject({ status: 'succeeded', attempts: 3 });
    expect(seen.map(({ attempt }) => attempt)).toEqual([1, 2, 3]);
    for (const { jobData } of seen) {
      expect(jobData).toMatchObject({ runId, task: 'flaky' });
      expect(jobData).not.toHaveProperty('execution');
    }
    expect(await recordedAttemptState(runId)).toEqual(['3', '0', '1']);
  });

  it('starts a new round, numbered on from the record, when a failed run is retried by hand', async () => {
    const seen: number[] = [];
    await w.start({
      tasks: [
        {
          name: 'stubborn',
          retry: { attempts: 2, backoff: 'fixed', delayMs: 5 },
          handler: ({ attempt }: TaskContext) => {
            seen.push(attempt);
            throw new Error(`attempt ${attempt}`);
          },
        },
      ],
    });
    const [runId] = (await w.fire('stubborn', 'stubborn')) as [string];
    expect(await w.settled(runId, ['failed'])).toMatchObject({ attempts: 2 });
    expect(await recordedAttemptState(runId)).toEqual(['2', '0', '1']);

    await w.leader.client.retryRun(runId);
    await waitFor('the second round to fail', async () => ((await w.record(runId)).attempts === 4 ? true : undefined));
    expect(await w.settled(runId, ['failed'])).toMatchObject({ status: 'failed', attempts: 4, error: 'Error: attempt 4' });
    expect(seen).toEqual([1, 2, 3, 4]);
    // The job's first failure for good counted in attemptsMade: the second round began there, at attempt 3.
    expect(await recordedAttemptState(runId)).toEqual(['4', '1', '3']);
    expect(await storedJobData(runId)).not.toHaveProperty('execution');
  });

  it('keeps the attempt state of a run without a record in its job', async () => {
    const seen: number[] = [];
    await w.start({
      tasks: [
        {
          name: 'unrecorded',
          retry: { attempts: 2, backoff: 'fixed', delayMs: 5 },
          handler: ({ attempt }: TaskContext) => {
            seen.push(attempt);
            if (attempt < 2) throw new Error(`attempt ${attempt}`);
            return 'done';
          },
        },
      ],
    });
    const [runId] = (await w.addJobs('default', 'unrecorded', 1)) as [string];
    await waitFor('the job to complete', async () => ((await w.queue().getJobState(runId)) === 'completed' ? true : undefined));
    expect(seen).toEqual([1, 2]);
    expect((await storedJobData(runId)).execution).toEqual({ attempt: 2, round: 0, roundStart: 1 });
    expect(await w.leader.redis.exists(w.leader.keys.run(runId))).toBe(0);
  });
});
