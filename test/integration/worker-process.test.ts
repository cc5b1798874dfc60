import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TaskContext } from '@sundial/worker';
import { workerFixture, type WorkerFixture } from '../helpers/worker-fixture';
import { findFreePort } from '../support/free-port';
import { testRedisUrl } from '../support/namespace';
import { killAllSpawned, spawnNode, type SpawnedProcess } from '../support/processes';

// `sundial-worker` runs as a real process (the built bin) with the tasks of
// test/fixtures/worker/tasks.js; runs are fired by ticking a leader's fire loop in this process.

jest.setTimeout(60_000);

const WORKER_BIN = path.join(__dirname, '..', '..', 'packages', 'worker', 'bin', 'sundial-worker.js');
const FIXTURES = path.join(__dirname, '..', 'fixtures', 'worker');
const TASKS = path.join(FIXTURES, 'tasks.js');

let w: WorkerFixture;
let dir: string;

beforeEach(async () => {
  w = await workerFixture();
  dir = mkdtempSync(path.join(tmpdir(), 'sundial-worker-test-'));
});

afterEach(async () => {
  await killAllSpawned();
  await w.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Starts `sundial-worker --tasks <fixtures> ...flags` on the fixture's namespace and waits until it runs. */
async function startWorkerProcess(...flags: string[]): Promise<SpawnedProcess> {
  const worker = spawnNode(WORKER_BIN, ['--tasks', TASKS, '--port', '0', ...flags], {
    name: 'sundial-worker',
    env: { REDIS_URL: testRedisUrl(), SUNDIAL_NAMESPACE: w.leader.namespace, SUNDIAL_LOG_LEVEL: 'info' },
  });
  await worker.waitForOutput(/"msg":"worker started"/);
  return worker;
}

/** Runs the bin to its end with `env` over this process's environment. */
function runWorkerProcess(env: Record<string, string>, ...args: string[]): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [WORKER_BIN, ...args], { env: { ...process.env, SUNDIAL_DEBUG: '', ...env }, encoding: 'utf8' }, (error, stdout, stderr) => {
      resolve({ exitCode: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr });
    });
  });
}

describe('sundial-worker processes (real Redis and BullMQ)', () => {
  it('a run whose worker is killed mid-run is completed by another worker after the stall interval', async () => {
    const first = await startWorkerProcess('--stalled-interval', '1s');
    const [runId] = (await w.fire('takeover', 'hold', { data: { releaseFile: path.join(dir, 'never') } })) as [string];
    await first.waitForOutput(new RegExp(`started ${runId} attempt 1\\n`));
    first.signal('SIGKILL');
    await first.exited;

    const attempts: number[] = [];
    const second = await w.start({ stalledIntervalMs: 1_000, port: 0, tasks: [{ name: 'hold', handler: ({ attempt }: TaskContext) => (attempts.push(attempt), { takenOverOn: attempt }) }] });
    expect(await w.settled(runId)).toMatchObject({ status: 'succeeded', attempts: 2, result: { takenOverOn: 2 }, worker: second.id });
    expect(attempts).toEqual([2]);
    // Attempt 2 was counted from the run record: the job's data carries no attempt state.
    expect(JSON.parse((await w.leader.redis.hget(w.queue().toKey(runId), 'data')) as string)).not.toHaveProperty('execution');
    expect(await w.leader.redis.hmget(w.leader.keys.run(runId), 'attempts', 'round', 'roundStart')).toEqual(['2', '0', '1']);
    // The stall is reported by the worker that found it, as it hands the run on: in either order.
    const events = await w.events(runId);
    expect(events.filter((event) => event === 'run.stalled')).toHaveLength(1);
    expect(events.filter((event) => event !== 'run.stalled')).toEqual(['run.enqueued', 'run.started 1', 'run.started 2', 'run.succeeded 2']);
    // The worker that found the stall counts it.
    const metrics = await (await fetch(`http://127.0.0.1:${second.httpPort as number}/metrics`)).text();
    expect(metrics).toContain('sundial_runs_total{task="hold",outcome="stalled"} 1\n');
  });

  it("runs a task in its executor's sandbox (a worker thread), recorded like any other", async () => {
    await startWorkerProcess();
    const [runId] = (await w.fire('threaded', 'threaded', { data: { n: 1 } })) as [string];
    expect(await w.settled(runId)).toMatchObject({ status: 'succeeded', attempts: 1, result: { attempt: 1, data: { n: 1 }, isMainThread: false } });
  });

  it('a run that stalls more often than maxStalledCount fails, and its record says so', async () => {
    const first = await startWorkerProcess('--stalled-interval', '1s');
    const [runId] = (await w.fire('fragile', 'hold', { data: { releaseFile: path.join(dir, 'never') } })) as [string];
    await first.waitForOutput(new RegExp(`started ${runId} attempt 1\\n`));
    first.signal('SIGKILL');
    await first.exited;

    const attempts: number[] = [];
    await w.start({ stalledIntervalMs: 1_000, maxStalledCount: 0, tasks: [{ name: 'hold', handler: ({ attempt }: TaskContext) => void attempts.push(attempt) }] });
    expect(await w.settled(runId)).toMatchObject({ status: 'failed', attempts: 1, error: expect.stringMatching(/^StalledError: /) });
    expect(attempts).toEqual([]);
    expect(await w.queue().getJobState(runId)).toBe('failed');
  });

  it('on SIGTERM, finishes the run in flight, takes no other, and exits 0', async () => {
    const worker = await startWorkerProcess();
    expect((await w.leader.client.status()).workers).toEqual([expect.objectContaining({ pid: worker.pid, tasks: ['hold', 'threaded'], queues: ['default'], concurrency: 10 })]);
    const releaseFile = path.join(dir, 'release');
    const [runId] = (await w.fire('drain', 'hold', { data: { releaseFile } })) as [string];
    await worker.waitForOutput(new RegExp(`started ${runId} attempt 1\\n`));
    worker.signal('SIGTERM');
    await worker.waitForOutput(/"msg":"stopping: taking no new runs, waiting for those in flight"/);
    const [later] = (await w.fire('later', 'hold', { data: { releaseFile } })) as [string];
    writeFileSync(releaseFile, '');
    expect(await worker.exited).toEqual({ code: 0, signal: null });
    expect(await w.record(runId)).toMatchObject({ status: 'succeeded', attempts: 1, result: { attempt: 1, pid: worker.pid } });
    expect(worker.output()).not.toContain(`started ${later}`);
    expect(await w.record(later)).toMatchObject({ status: 'enqueued', attempts: 0 });
    expect((await w.leader.client.status()).workers).toEqual([]);
  });

  it('on SIGTERM past the grace period, aborts the run, which goes back to its queue for another worker', async () => {
    const worker = await startWorkerProcess('--shutdown-grace', '100ms');
    const [runId] = (await w.fire('grace', 'hold', { data: { releaseFile: path.join(dir, 'never') } })) as [string];
    await worker.waitForOutput(new RegExp(`started ${runId} attempt 1\\n`));
    worker.signal('SIGTERM');
    expect(await worker.exited).toEqual({ code: 0, signal: null });
    expect(await w.record(runId)).toMatchObject({ status: 'enqueued', reason: 'retrying', attempts: 1, error: expect.stringMatching(/^WorkerShutdownError: /) });

    await w.start({ tasks: [{ name: 'hold', handler: ({ attempt }: TaskContext) => ({ attempt }) }] });
    expect(await w.settled(runId)).toMatchObject({ status: 'succeeded', attempts: 2, result: { attempt: 2 } });
  });

  it.each<[string, string[], Record<string, string>, number, RegExp]>([
    ['no --tasks', [], {}, 2, /^sundial-worker: required option '--tasks <module>' not specified\n$/],
    ['a bad --concurrency', ['--tasks', TASKS, '--concurrency', '0'], {}, 2, /^sundial-worker: --concurrency: expected a whole number of at least 1, got "0"\n$/],
    ['a bad --shutdown-grace', ['--tasks', TASKS, '--shutdown-grace', 'soon'], {}, 2, /^sundial-worker: --shutdown-grace: expected a duration[^\n]+\n$/],
    ['a bad --queues', ['--tasks', TASKS, '--queues', 'a,,b'], {}, 2, /^sundial-worker: --queues: [^\n]+\n$/],
    ['a module that does not exist', ['--tasks', path.join(FIXTURES, 'missing.js')], {}, 2, /^sundial-worker: --tasks [^\n]*missing\.js: [^\n]+\n$/],
    ['a module without tasks', ['--tasks', path.join(FIXTURES, 'no-tasks.js')], {}, 2, /^sundial-worker: --tasks [^\n]*no-tasks\.js: exports no task definitions[^\n]*\n$/],
    ['a bad SUNDIAL_NAMESPACE', ['--tasks', TASKS], { SUNDIAL_NAMESPACE: 'no spaces' }, 2, /^sundial-worker: SUNDIAL_NAMESPACE: [^\n]+\n$/],
    ['a bad SUNDIAL_LOG_LEVEL', ['--tasks', TASKS], { SUNDIAL_LOG_LEVEL: 'loud' }, 2, /^sundial-worker: SUNDIAL_LOG_LEVEL: [^\n]+\n$/],
  ])('reports %s on one line and exits 2', async (_name, args, env, exitCode, message) => {
    const result = await runWorkerProcess({ REDIS_URL: testRedisUrl(), SUNDIAL_NAMESPACE: w.leader.namespace, ...env }, ...args);
    expect(result).toMatchObject({ exitCode, stdout: '' });
    expect(result.stderr).toMatch(message);
  });

  it('exits 1 with one line when Redis is unreachable at start', async () => {
    const port = await findFreePort();
    const result = await runWorkerProcess({ REDIS_URL: `redis://127.0.0.1:${port}`, SUNDIAL_NAMESPACE: w.leader.namespace }, '--tasks', TASKS);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/^sundial-worker: could not connect to Redis at [^\n]+\n$/);
  });
});
