import type { RunJobData, SundialEvent } from '@sundial/shared';
import { startWorker, type SundialWorker, type TaskContext } from '@sundial/worker';
import pino from 'pino';
import { waitFor, workerFixture, type WorkerFixture } from '../helpers/worker-fixture';
import { startRedisServer, type RedisServer } from '../support/redis-server';

// What a worker tells about the runs it executes: its metrics, its `on()` hooks and its liveness.

jest.setTimeout(30_000);

async function get(port: number, path: string): Promise<{ status: number; body: string }> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: response.status, body: await response.text() };
}

/** The value of one series on a worker's /metrics, e.g. `sundial_runs_total{task="a",outcome="failed"}`; undefined when absent. */
async function sample(worker: SundialWorker, series: string): Promise<number | undefined> {
  const { body } = await get(worker.httpPort as number, '/metrics');
  const line = body.split('\n').find((text) => text.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

/** Waits until `series` reads `value`. */
function sampleReaches(worker: SundialWorker, series: string, value: number): Promise<true> {
  return waitFor(`${series} to be ${value}`, async () => ((await sample(worker, series)) === value ? true : undefined));
}

function untilAborted(context: TaskContext): Promise<never> {
  return new Promise((_resolve, reject) => context.signal.addEventListener('abort', () => reject(context.signal.reason as Error)));
}

const runs = (task: string, outcome: string): string => `sundial_runs_total{task="${task}",outcome="${outcome}"}`;

describe('worker observability (real Redis and BullMQ)', () => {
  let w: WorkerFixture;

  beforeEach(async () => {
    w = await workerFixture();
  });

  afterEach(async () => {
    await w.close();
  });

  it('starts every series of its tasks at 0 and shows its configured concurrency', async () => {
    const worker = await w.start({ tasks: [{ name: 'idle', handler: () => undefined }], concurrency: 3, port: 0 });
    const { body } = await get(worker.httpPort as number, '/metrics');
    for (const outcome of ['succeeded', 'failed', 'retried', 'timed_out', 'stalled', 'cancelled']) expect(body).toContain(`${runs('idle', outcome)} 0\n`);
    expect(body).toContain('sundial_runs_in_flight{task="idle"} 0\n');
    expect(body).toContain('sundial_run_duration_seconds_count{task="idle"} 0\n');
    expect(body).toContain('sundial_run_duration_seconds_bucket{le="3600",task="idle"} 0\n');
    expect(body).toContain('sundial_run_start_delay_seconds_count{task="idle"} 0\n');
    expect(body).toMatch(/^sundial_worker_concurrency 3$/m);
    expect(body).not.toMatch(/outcome="(retrying|dropped)"/);
  });

  it('counts each finished attempt once by outcome: succeeded, retried, failed, timed_out, cancelled', async () => {
    const started: string[] = [];
    const worker = await w.start({
      port: 0,
      tasks: [
        { name: 'fine', handler: () => 'ok' },
        { name: 'flaky', retry: { attempts: 2, backoff: 'fixed', delayMs: 10 }, handler: () => Promise.reject(new Error('boom')) },
        { name: 'slow', timeoutMs: 50, retry: { attempts: 2, backoff: 'fixed', delayMs: 10 }, handler: untilAborted },
        { name: 'endless', handler: (context: TaskContext) => (started.push(context.runId), untilAborted(context)) },
      ],
    });
    const [fine] = await w.fire('fine', 'fine');
    const [flaky] = await w.fire('flaky', 'flaky');
    const [slow] = await w.fire('slow', 'slow');
    const [endless] = (await w.fire('endless', 'endless')) as [string];
    await waitFor('the endless run to start', () => (started.length > 0 ? true : undefined));
    await w.leader.redis.publish(w.leader.keys.cancelChannel, endless);
    await w.settled(fine as string, ['succeeded']);
    await w.settled(flaky as string, ['failed']);
    await w.settled(slow as string, ['failed']);
    await w.settled(endless, ['cancelled']);

    await sampleReaches(worker, runs('fine', 'succeeded'), 1);
    await sampleReaches(worker, runs('flaky', 'retried'), 1);
    await sampleReaches(worker, runs('flaky', 'failed'), 1);
    // A timed-out attempt counts as timed_out whether it was retried or was the last.
    await sampleReaches(worker, runs('slow', 'timed_out'), 2);
    await sampleReaches(worker, runs('endless', 'cancelled'), 1);
    expect(await sample(worker, runs('slow', 'retried'))).toBe(0);
    expect(await sample(worker, runs('slow', 'failed'))).toBe(0);
    expect(await sample(worker, runs('endless', 'failed'))).toBe(0);
    expect(await sample(worker, 'sundial_run_duration_seconds_count{task="flaky"}')).toBe(2);
    expect(await sample(worker, 'sundial_run_duration_seconds_count{task="slow"}')).toBe(2);
    expect(await sample(worker, 'sundial_runs_in_flight{task="endless"}')).toBe(0);
  });

  it("observes the start delay from the run's due time, for its first attempt only", async () => {
    const worker = await w.start({
      port: 0,
      tasks: [{ name: 'late', retry: { attempts: 2, backoff: 'fixed', delayMs: 10 }, handler: ({ attempt }: TaskContext) => (attempt === 1 ? Promise.reject(new Error('once')) : 'ok') }],
    });
    // A run without a record was due at its fire time: 20 s ago.
    const data: RunJobData = { runId: 'late@1', scheduleId: 'late', task: 'late', kind: 'scheduled', fireTime: new Date(Date.now() - 20_000).toISOString(), data: {} };
    await w.queue().add('late', data, { jobId: data.runId });
    await sampleReaches(worker, runs('late', 'succeeded'), 1);
    expect(await sample(worker, 'sundial_run_start_delay_seconds_count{task="late"}')).toBe(1);
    expect(await sample(worker, 'sundial_run_start_delay_seconds_bucket{le="10",task="late"}')).toBe(0);
    expect(await sample(worker, 'sundial_run_start_delay_seconds_bucket{le="60",task="late"}')).toBe(1);
  });

  it('calls on() hooks with the events of the runs it executes and its own joining and leaving', async () => {
    let worker: SundialWorker | undefined;
    const events: SundialEvent[] = [];
    worker = await w.start({
      tasks: [
        { name: 'twice', retry: { attempts: 2, backoff: 'fixed', delayMs: 10 }, handler: ({ attempt }: TaskContext) => (attempt === 1 ? Promise.reject(new Error('first')) : 'second') },
        { name: 'sleepy', timeoutMs: 30, handler: untilAborted },
      ],
    });
    worker.on('*', (event) => void events.push(event));
    const failures: string[] = [];
    worker.on(['run.failed', 'run.timed_out'], (event) => void failures.push(event.type));
    const [twice] = (await w.fire('twice', 'twice')) as [string];
    const [sleepy] = (await w.fire('sleepy', 'sleepy')) as [string];
    await w.settled(twice, ['succeeded']);
    await w.settled(sleepy, ['failed']);
    const id = worker.id;
    await worker.close();
    worker = undefined;

    const of = (runId: string) => events.filter((event) => event.runId === runId).map((event) => `${event.type} ${event.attempt}`);
    expect(of(twice)).toEqual(['run.started 1', 'run.retrying 1', 'run.started 2', 'run.succeeded 2']);
    expect(of(sleepy)).toEqual(['run.started 1', 'run.timed_out 1', 'run.failed 1']);
    expect(events.find((event) => event.type === 'run.retrying')).toMatchObject({ scheduleId: 'twice', task: 'twice', worker: id, error: 'Error: first', status: 'enqueued' });
    expect(failures).toEqual(['run.timed_out', 'run.failed']);
    expect(events[0]).toMatchObject({ type: 'worker.joined', worker: id });
    expect(events.at(-1)).toMatchObject({ type: 'worker.left', worker: id });
  });
});

describe('worker liveness (a Redis of its own)', () => {
  let redis: RedisServer;
  let worker: SundialWorker | undefined;

  beforeEach(async () => {
    redis = await startRedisServer();
  });

  afterEach(async () => {
    await worker?.close();
    worker = undefined;
    await redis.stop();
  });

  it('stays alive while Redis is down, reporting only that it is not ready', async () => {
    worker = await startWorker({ connection: redis.url, namespace: 'liveness', heartbeatEveryMs: 100, port: 0, logger: pino({ level: 'silent' }), tasks: [{ name: 'idle', handler: () => undefined }] });
    const port = worker.httpPort as number;
    expect(await get(port, '/healthz')).toEqual({ status: 200, body: 'ok\n' });
    await redis.kill();
    await waitFor('/readyz to fail', async () => ((await get(port, '/readyz')).status === 503 ? true : undefined));
    // Many heartbeat intervals without Redis: the heartbeat loop still ticks.
    for (let beat = 0; beat < 20; beat++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await get(port, '/healthz')).toEqual({ status: 200, body: 'ok\n' });
    await redis.restart();
    await waitFor('/readyz to recover', async () => ((await get(port, '/readyz')).status === 200 ? true : undefined));
  });
});
