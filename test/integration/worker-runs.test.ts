import { RunCancelledError, TaskTimeoutError, UnrecoverableError, type TaskContext } from '@sundial/worker';
import type { ClusterStatus } from '@sundial/shared';
import { runCli } from '../helpers/cli';
import { captureLogs, waitFor, workerFixture, type WorkerFixture } from '../helpers/worker-fixture';
import { Redis } from 'ioredis';
import { testRedisUrl } from '../support/namespace';

// Runs are fired through the coordinator's path (a schedule, its run record, its BullMQ job) by
// ticking a leader's fire loop by hand, and executed by Sundial workers in this process.

jest.setTimeout(30_000);

let w: WorkerFixture;

beforeEach(async () => {
  w = await workerFixture();
});

afterEach(async () => {
  await w.close();
});

/** A handler that waits for its signal and rejects with the abort reason. */
function untilAborted(context: TaskContext): Promise<never> {
  return new Promise((_resolve, reject) => context.signal.addEventListener('abort', () => reject(context.signal.reason as Error)));
}

describe('a Sundial worker executing runs (real Redis and BullMQ)', () => {
  it('runs a task with its context and records the success with the result', async () => {
    const seen: TaskContext[] = [];
    const worker = await w.start({
      tasks: [
        {
          name: 'greet',
          handler: async (context: TaskContext) => {
            seen.push(context);
            await context.progress(50);
            return { greeting: `hello ${(context.data as { name: string }).name}` };
          },
        },
      ],
    });
    const [runId] = await w.fire('greeter', 'greet', { data: { name: 'Ada' } });
    const run = await w.settled(runId as string);
    expect(run).toMatchObject({ status: 'succeeded', attempts: 1, result: { greeting: 'hello Ada' }, worker: worker.id, error: null });
    expect(seen).toHaveLength(1);
    const [context] = seen as [TaskContext];
    expect(context).toMatchObject({ runId, scheduleId: 'greeter', attempt: 1, data: { name: 'Ada' } });
    expect(context.fireTime).toEqual(new Date(Number((runId as string).split('@')[1])));
    expect(context.signal.aborted).toBe(false);
    expect((await w.queue().getJob(runId as string))?.progress).toBe(50);
    expect(await w.events(runId as string)).toEqual(['run.enqueued', 'run.started 1', 'run.succeeded 1']);
  });

  it("records a success on the connection that completes the run's job, just before the completion", async () => {
    const redis = new Redis(testRedisUrl());
    const monitor = await redis.monitor();
    const calls: { client: string; args: string[] }[] = [];
    // Script calls only, by the connection that sent them (commands run inside scripts show as `lua`).
    monitor.on('monitor', (_time: string, args: string[], source: string) => {
      if (args[0]?.toLowerCase().startsWith('eval')) calls.push({ client: source, args });
    });
    try {
      await w.start({ tasks: [{ name: 'tally', handler: () => 42 }] });
      const [runId] = await w.fire('tallier', 'tally');
      const runKey = w.leader.keys.run(runId as string);
      const jobKey = `${w.leader.keys.bullPrefix}:default:${runId}`;
      const completes = (call: { args: string[] }) => call.args.includes(jobKey) && call.args.some((arg) => arg.endsWith(':default:completed'));
      expect(await w.settled(runId as string)).toMatchObject({ status: 'succeeded', result: 42 });
      await waitFor('the completion seen by MONITOR', () => (calls.some(completes) ? true : undefined));
      // recordAttempt: eval, script, 2 keys (the run's hash first), then the action.
      const success = calls.findIndex((call) => call.args[3] === runKey && call.args[5] === 'succeeded');
      expect(success).toBeGreaterThanOrEqual(0);
      const { client } = calls[success] as { client: string };
      // The next call of that connection completes the job (BullMQ's moveToFinished): one round trip for both.
      const next = calls.slice(success + 1).find((call) => call.client === client);
      expect(next && completes(next)).toBe(true);
    } finally {
      monitor.disconnect();
      redis.disconnect();
    }
  });

  it('retries with attempt numbers 1, 2, 3 and succeeds on the third', async () => {
    const attempts: number[] = [];
    await w.start({
      tasks: [
        {
          name: 'flaky',
          retry: { attempts: 3, backoff: 'fixed', delayMs: 10 },
          handler: ({ attempt }: TaskContext) => {
            attempts.push(attempt);
            if (attempt < 3) throw new Error(`attempt ${attempt} failed`);
            return { attempt };
          },
        },
      ],
    });
    const [runId] = await w.fire('flaky', 'flaky');
    expect(await w.settled(runId as string)).toMatchObject({ status: 'succeeded', attempts: 3, result: { attempt: 3 } });
    expect(attempts).toEqual([1, 2, 3]);
    expect(await w.events(runId as string)).toEqual(['run.enqueued', 'run.started 1', 'run.retrying 1', 'run.started 2', 'run.retrying 2', 'run.started 3', 'run.succeeded 3']);
  });

  it('waits by the backoff policy: fixed delays stay the same, exponential ones double, a function gets each attempt in order', async () => {
    const logs = captureLogs();
    const backoffCalls: [number, string][] = [];
    const failing = (name: string) => ({ attempt }: TaskContext) => {
      throw new Error(`${name} ${attempt}`);
    };
    await w.start({
      logger: logs.logger,
      tasks: [
        { name: 'fixed', retry: { attempts: 4, backoff: 'fixed', delayMs: 15 }, handler: failing('fixed') },
        { name: 'exponential', retry: { attempts: 4, backoff: 'exponential', delayMs: 15 }, handler: failing('exponential') },
        {
          name: 'custom',
          retry: { attempts: 3, backoff: (attempt: number, error: Error) => (backoffCalls.push([attempt, error.message]), attempt * 7) },
          handler: failing('custom'),
        },
      ],
    });
    const runIds = [...(await w.fire('fixed', 'fixed')), ...(await w.fire('exponential', 'exponential')), ...(await w.fire('custom', 'custom'))];
    for (const runId of runIds) expect(await w.settled(runId)).toMatchObject({ status: 'failed' });
    // The delay each retry was scheduled with, in the order of the attempts (not measured time).
    const retries = (task: string) => logs.withMessage('attempt failed; retrying').filter((line) => line.task === task).map((line) => [line.attempt, line.delayMs]);
    expect(retries('fixed')).toEqual([[1, 15], [2, 15], [3, 15]]);
    expect(retries('exponential')).toEqual([[1, 15], [2, 30], [3, 60]]);
    expect(retries('custom')).toEqual([[1, 7], [2, 14]]);
    expect(backoffCalls).toEqual([
      [1, 'custom 1'],
      [2, 'custom 2'],
    ]);
    expect(await w.record(runIds[1] as string)).toMatchObject({ attempts: 4, error: 'Error: exponential 4' });
    expect(await w.events(runIds[1] as string)).toEqual(['run.enqueued', ...[1, 2, 3].flatMap((n) => [`run.started ${n}`, `run.retrying ${n}`]), 'run.started 4', 'run.failed 4']);
  });

  it("uses the schedule's retry over the task's", async () => {
    const attempts: number[] = [];
    await w.start({
      tasks: [
        {
          name: 'overridden',
          retry: { attempts: 5, backoff: 'fixed', delayMs: 10 },
          handler: ({ attempt }: TaskContext) => {
            attempts.push(attempt);
            throw new Error('always');
          },
        },
      ],
    });
    const [runId] = await w.fire('overridden', 'overridden', { retry: { attempts: 2, backoff: 'fixed', delay: 5 } });
    expect(await w.settled(runId as string)).toMatchObject({ status: 'failed', attempts: 2, error: 'Error: always' });
    expect(attempts).toEqual([1, 2]);
  });

  it('does not retry an unrecoverable error, by class or by code', async () => {
    const attempts: string[] = [];
    await w.start({
      defaults: { retry: { attempts: 3, delayMs: 5 } },
      tasks: [
        {
          name: 'by-class',
          handler: ({ attempt }: TaskContext) => {
            attempts.push(`by-class ${attempt}`);
            throw new UnrecoverableError('bad input');
          },
        },
        {
          name: 'by-code',
          handler: ({ attempt }: TaskContext) => {
            attempts.push(`by-code ${attempt}`);
            throw Object.assign(new Error('also bad'), { code: 'UNRECOVERABLE' });
          },
        },
      ],
    });
    const [byClass] = await w.fire('by-class', 'by-class');
    const [byCode] = await w.fire('by-code', 'by-code');
    expect(await w.settled(byClass as string)).toMatchObject({ status: 'failed', attempts: 1, error: 'UnrecoverableError: bad input' });
    expect(await w.settled(byCode as string)).toMatchObject({ status: 'failed', attempts: 1, error: 'Error: also bad' });
    expect(attempts.sort()).toEqual(['by-class 1', 'by-code 1']);
    expect((await w.queue().getJob(byClass as string))?.failedReason).toBe('UnrecoverableError: bad input');
  });

  it('aborts the signal on timeout and fails the attempt with TaskTimeoutError, even when the handler ignores its signal', async () => {
    const reasons: unknown[] = [];
    let release: () => void = () => undefined;
    const ignored = new Promise<string>((resolve) => (release = () => resolve('too late')));
    const ignoring: number[] = [];
    await w.start({
      tasks: [
        {
          name: 'cooperative',
          timeoutMs: 50,
          handler: (context: TaskContext) => {
            context.signal.addEventListener('abort', () => reasons.push(context.signal.reason));
            return untilAborted(context);
          },
        },
        {
          name: 'ignoring',
          retry: { attempts: 2, delayMs: 0 },
          handler: ({ attempt }: TaskContext) => {
            ignoring.push(attempt);
            return ignored;
          },
        },
      ],
    });
    const [cooperative] = await w.fire('cooperative', 'cooperative');
    // The schedule's timeout applies to a task that has none.
    const [ignoringRun] = await w.fire('ignoring', 'ignoring', { timeout: '50ms' });
    expect(await w.settled(cooperative as string)).toMatchObject({ status: 'failed', attempts: 1, error: 'TaskTimeoutError: the attempt took longer than its 50 ms time limit' });
    expect(reasons).toEqual([expect.any(TaskTimeoutError)]);
    expect(await w.settled(ignoringRun as string)).toMatchObject({ status: 'failed', attempts: 2, error: expect.stringMatching(/^TaskTimeoutError: /) });
    expect(ignoring).toEqual([1, 2]);
    release();
  });

  it('aborts a run whose id comes on the cancel channel, records it cancelled by the operator, and does not retry it', async () => {
    const started: string[] = [];
    await w.start({
      tasks: [
        {
          name: 'long',
          retry: { attempts: 3, delayMs: 0 },
          handler: (context: TaskContext) => {
            started.push(context.runId);
            return untilAborted(context);
          },
        },
      ],
    });
    const [runId] = await w.fire('long', 'long');
    await waitFor('the run to start', () => (started.length > 0 ? true : undefined));
    await w.leader.redis.publish(w.leader.keys.cancelChannel, runId as string);
    const error = `RunCancelledError: ${new RunCancelledError(runId as string).message}`;
    expect(await w.settled(runId as string, ['cancelled', 'failed'])).toMatchObject({ status: 'cancelled', reason: 'operator', attempts: 1, error });
    expect(started).toEqual([runId]);
    expect(await w.events(runId as string)).toEqual(['run.enqueued', 'run.started 1', 'run.cancelled 1']);
  });

  it('drops a duplicate job of a finished run without running it', async () => {
    const logs = captureLogs();
    const calls: number[] = [];
    await w.start({
      logger: logs.logger,
      tasks: [{ name: 'once', handler: ({ attempt }: TaskContext) => (calls.push(attempt), 'done') }],
    });
    const [runId] = (await w.fire('once', 'once')) as [string];
    await w.settled(runId);
    const job = await waitFor('the completed job', async () => {
      // The state first: a job read before it completed would lack its return value.
      if ((await w.queue().getJobState(runId)) !== 'completed') return undefined;
      return w.queue().getJob(runId);
    });
    // Re-added after its first job was removed, as a stale dispatch could.
    await job.remove();
    await w.queue().add(job.name, { ...job.data, execution: undefined }, { jobId: runId });
    await waitFor('the duplicate to be dropped', () => (logs.withMessage('duplicate job of a finished run dropped').length > 0 ? true : undefined));
    await waitFor('the duplicate job to complete', async () => ((await (await w.queue().getJob(runId))?.getState()) === 'completed' ? true : undefined));
    expect(calls).toEqual([1]);
    expect(await w.record(runId)).toMatchObject({ status: 'succeeded', attempts: 1, result: 'done' });
    expect(logs.withMessage('duplicate job of a finished run dropped')).toEqual([expect.objectContaining({ runId, task: 'once' })]);
  });

  it('runs a failed run again after a retry by hand, with a new budget of attempts', async () => {
    const attempts: number[] = [];
    await w.start({
      tasks: [
        {
          name: 'stubborn',
          retry: { attempts: 2, backoff: 'fixed', delayMs: 5 },
          handler: ({ attempt }: TaskContext) => {
            attempts.push(attempt);
            if (attempt < 4) throw new Error(`attempt ${attempt}`);
            return 'finally';
          },
        },
      ],
    });
    const [runId] = (await w.fire('stubborn', 'stubborn')) as [string];
    expect(await w.settled(runId)).toMatchObject({ status: 'failed', attempts: 2 });
    expect(await w.leader.client.retryRun(runId)).toMatchObject({ reason: 'retried' });
    expect(await w.settled(runId)).toMatchObject({ status: 'succeeded', attempts: 4, result: 'finally' });
    expect(attempts).toEqual([1, 2, 3, 4]);
  });

  it('publishes a heartbeat that `sundial status` lists, so adding a schedule no longer warns, and removes it on close', async () => {
    const env = { REDIS_URL: testRedisUrl(), SUNDIAL_NAMESPACE: w.leader.namespace };
    const status = async () => JSON.parse((await runCli(env, 'status', '-o', 'json')).stdout) as ClusterStatus;
    expect((await w.leader.client.add({ id: 'before', task: 'report', trigger: { every: '1h' } })).warnings).toEqual([expect.stringContaining('no live worker serves task "report"')]);
    const worker = await w.start({ concurrency: 3, tasks: [{ name: 'report', queue: 'reports', handler: () => 'ok' }, { name: 'mail', handler: () => 'ok' }] });
    expect((await status()).workers).toEqual([
      expect.objectContaining({ id: worker.id, pid: process.pid, queues: ['reports', 'default'], tasks: ['report', 'mail'], concurrency: 3, inFlight: 0 }),
    ]);
    expect((await runCli(env, 'status')).stdout).toMatch(new RegExp(`\\n${worker.id}\\s+\\S+\\s+${process.pid}\\s+\\S+\\s+0/3\\s+reports,default\\s+report,mail\\n`));
    expect((await w.leader.client.add({ id: 'after', task: 'report', trigger: { every: '1h' } })).warnings).toEqual([]);
    await worker.close();
    expect((await status()).workers).toEqual([]);
  });
});
