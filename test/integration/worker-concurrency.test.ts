import { setTimeout as sleep } from 'node:timers/promises';
import { captureLogs, waitFor, workerFixture, type WorkerFixture } from '../helpers/worker-fixture';

// These tests need many runs and no run records, so they add BullMQ jobs with RunJobData directly
// (WorkerFixture.addJobs) instead of firing schedules; the handlers run in this process.

jest.setTimeout(30_000);

let w: WorkerFixture;

beforeEach(async () => {
  w = await workerFixture();
});

afterEach(async () => {
  await w.close();
});

/**
 * Counts handlers running at once. Each holds until `limit` handlers run together (or every run
 * has started), then a little longer, so a limit that let one more through would show.
 */
class Gauge {
  running = 0;
  max = 0;
  started = 0;
  finished = 0;

  constructor(
    private readonly limit: number,
    private readonly total: number,
  ) {}

  readonly handler = async (): Promise<string> => {
    this.running += 1;
    this.started += 1;
    this.max = Math.max(this.max, this.running);
    try {
      await waitFor('the limit to be reached', () => (this.running >= this.limit || this.started >= this.total ? true : undefined), 5_000).catch(() => undefined);
      await sleep(30);
      return 'done';
    } finally {
      this.running -= 1;
      this.finished += 1;
    }
  };

  async allFinished(): Promise<void> {
    await waitFor(`${this.total} runs to finish`, () => (this.finished >= this.total ? true : undefined));
  }
}

describe('concurrency limits of Sundial workers (real Redis and BullMQ)', () => {
  it('runs at most `concurrency` handlers at once in a process, across its queues', async () => {
    const gauge = new Gauge(3, 10);
    await w.start({
      concurrency: 3,
      tasks: [
        { name: 'alpha', queue: 'a', handler: gauge.handler },
        { name: 'beta', queue: 'b', handler: gauge.handler },
      ],
    });
    await w.addJobs('a', 'alpha', 5);
    await w.addJobs('b', 'beta', 5);
    await gauge.allFinished();
    expect(gauge.max).toBe(3);
  });

  it("runs at most a task's `concurrency` at once in a process, however large the process's", async () => {
    const gauge = new Gauge(2, 6);
    const other = new Gauge(1, 2);
    await w.start({
      concurrency: 10,
      tasks: [
        { name: 'limited', concurrency: 2, handler: gauge.handler },
        { name: 'free', handler: other.handler },
      ],
    });
    await w.addJobs('default', 'limited', 6);
    await w.addJobs('default', 'free', 2);
    await gauge.allFinished();
    await other.allFinished();
    expect(gauge.max).toBe(2);
  });

  it("runs at most a task's `globalConcurrency` at once across workers, and frees every slot", async () => {
    const gauge = new Gauge(2, 8);
    const task = { name: 'shared', globalConcurrency: 2, handler: gauge.handler };
    await w.start({ concurrency: 5, tasks: [task] });
    await w.start({ concurrency: 5, tasks: [task] });
    await w.addJobs('default', 'shared', 8);
    await gauge.allFinished();
    expect(gauge.max).toBe(2);
    // A slot is released just after its handler returns, so wait for the last release.
    const slotsKey = `${w.leader.keys.base}:concurrency:shared`;
    await waitFor('every global slot to be released', async () => ((await w.leader.redis.zcard(slotsKey)) === 0 ? true : undefined));
  });

  it('leaves a job for a task it does not serve in the queue, for a worker that serves it', async () => {
    const logs = captureLogs();
    const alpha: string[] = [];
    const beta: string[] = [];
    await w.start({ logger: logs.logger, tasks: [{ name: 'alpha', handler: ({ runId }) => void alpha.push(runId) }] });
    const [runId] = (await w.addJobs('default', 'beta', 1)) as [string];
    const notice = 'a job for a task this worker does not serve goes back to its queue for a worker that serves it';
    await waitFor('the first worker to put the job back', () => (logs.withMessage(notice).length > 0 ? true : undefined));
    expect(['delayed', 'waiting']).toContain(await (await w.queue().getJob(runId))?.getState());

    await w.start({ tasks: [{ name: 'beta', handler: ({ runId: id }) => (beta.push(id), 'served') }] });
    await waitFor('the second worker to run it', () => (beta.length > 0 ? true : undefined), 25_000);
    const job = await waitFor('the job to complete', async () => {
      // The state first: a job read before it completed would lack its return value.
      if ((await w.queue().getJobState(runId)) !== 'completed') return undefined;
      return w.queue().getJob(runId);
    });
    expect(job.returnvalue).toBe('served');
    expect(beta).toEqual([runId]);
    expect(alpha).toEqual([]);
    expect(logs.withMessage(notice)).toEqual([expect.objectContaining({ task: 'beta', queue: 'default' })]);
  });
});
