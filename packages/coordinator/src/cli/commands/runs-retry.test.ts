import { ExitCode, type Run } from '@sundial/shared';
import { UnrecoverableError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { runCli } from '../../../../../test/helpers/cli';
import { leaderFixture, type LeaderFixture } from '../../../../../test/helpers/leader-fixture';
import { testRedisUrl } from '../../../../../test/support/namespace';
import { closeClient } from '../../../../../test/support/redis-client';

jest.setTimeout(30_000);

// Runs are fired by ticking a leader's fire loop (test/helpers/leader-fixture.ts) and executed by
// a plain BullMQ worker, so the command is tested without the worker package.

/** A BullMQ worker of the fixture's namespace that fails or completes each job as `outcome` says. */
function plainWorker(f: LeaderFixture, outcome: () => 'fail' | 'succeed'): { worker: Worker; settled: string[]; close(): Promise<void> } {
  const connection = new Redis(testRedisUrl(), { maxRetriesPerRequest: null });
  const settled: string[] = [];
  const worker = new Worker(
    'default',
    async () => {
      if (outcome() === 'fail') throw new UnrecoverableError('boom');
      return 'ok';
    },
    { connection, prefix: f.keys.bullPrefix },
  );
  worker.on('failed', (job) => settled.push(`failed ${job?.id}`));
  worker.on('completed', (job) => settled.push(`completed ${job.id}`));
  return { worker, settled, close: async () => (await worker.close(), await closeClient(connection)) };
}

async function until(what: string, probe: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('sundial runs retry (real Redis and BullMQ)', () => {
  let f: LeaderFixture;
  let env: Record<string, string>;
  const sundial = (...args: string[]) => runCli(env, ...args);

  beforeEach(async () => {
    f = await leaderFixture();
    env = { REDIS_URL: testRedisUrl(), SUNDIAL_NAMESPACE: f.namespace };
  });

  afterEach(async () => {
    await f.close();
  });

  /** Fires one run of a new schedule and returns its id. */
  async function fire(id: string): Promise<string> {
    const { schedule } = await f.client.add({ id, task: 'work', trigger: { every: '1h' } });
    const first = Date.parse(schedule.state.nextFireTime as string);
    f.clock.nowMs = first;
    await f.loop.tick(f.lease);
    return `${id}@${first}`;
  }

  it('puts a failed run back in its queue, where it runs again', async () => {
    const runId = await fire('flaky');
    const failing = plainWorker(f, () => 'fail');
    await until('the run to fail', () => failing.settled.includes(`failed ${runId}`));
    await failing.close();
    expect(JSON.parse((await sundial('runs', 'get', runId, '-o', 'json')).stdout)).toMatchObject({ status: 'failed' });

    const retried = await sundial('runs', 'retry', runId, '-o', 'json');
    expect(retried).toMatchObject({ exitCode: ExitCode.OK, stderr: '' });
    expect(JSON.parse(retried.stdout)).toMatchObject({ runId, status: 'enqueued', reason: 'retried' });
    const events = await f.redis.xrange(f.keys.events, '-', '+');
    expect(events.map(([, fields]) => fields.join(' '))).toContainEqual(expect.stringMatching(new RegExp(`^type run\\.enqueued scheduleId flaky runId ${runId} .*reason retried`)));

    const succeeding = plainWorker(f, () => 'succeed');
    await until('the run to run again', () => succeeding.settled.includes(`completed ${runId}`));
    await succeeding.close();
    expect(((await f.client.getRun(runId)) as Run).status).toBe('succeeded');
  });

  it.each<[string, (runId: string) => string[], number, (runId: string) => RegExp]>([
    ['an unknown run', () => ['runs', 'retry', 'nope@1'], ExitCode.NOT_FOUND, () => /^sundial: run "nope@1" not found\n$/],
    ['a run that did not fail', (runId) => ['runs', 'retry', runId], ExitCode.INVALID_INPUT, (runId) => new RegExp(`^sundial: runId: run "${runId}" is enqueued; only a failed run can be retried\\n$`)],
  ])('refuses %s with one line', async (_name, args, exitCode, message) => {
    const runId = await fire('waiting');
    const result = await sundial(...args(runId));
    expect(result).toMatchObject({ exitCode, stdout: '' });
    expect(result.stderr).toMatch(message(runId));
  });
});
