import { startCoordinator, type Coordinator } from '@sundial/coordinator';
import { connectRedis } from '@sundial/shared';
import type { Redis } from 'ioredis';
import { createServer, type Server } from 'node:net';
import pino from 'pino';
import { runCli } from '../helpers/cli';
import { waitFor, workerFixture, type WorkerFixture } from '../helpers/worker-fixture';
import { deleteNamespace, testRedisUrl, uniqueNamespace } from '../support/namespace';

// The HTTP endpoints a worker and a coordinator serve with a port: metrics, liveness, readiness.

jest.setTimeout(30_000);

async function get(port: number, path: string): Promise<{ status: number; body: string }> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: response.status, body: await response.text() };
}

describe('worker metrics (real Redis and BullMQ)', () => {
  let w: WorkerFixture;

  beforeEach(async () => {
    w = await workerFixture();
  });

  afterEach(async () => {
    await w.close();
  });

  it('serves no HTTP without a port', async () => {
    const worker = await w.start({ tasks: [{ name: 'quiet', handler: () => undefined }] });
    expect(worker.httpPort).toBeUndefined();
  });

  it('counts a succeeded run by task on /metrics, and answers /healthz and /readyz', async () => {
    const worker = await w.start({ tasks: [{ name: 'greet', handler: () => 'hello' }], port: 0 });
    const port = worker.httpPort as number;
    expect(port).toBeGreaterThan(0);
    expect(await get(port, '/healthz')).toEqual({ status: 200, body: 'ok\n' });
    expect(await get(port, '/readyz')).toEqual({ status: 200, body: 'ready\n' });

    const [runId] = await w.fire('greeter', 'greet');
    await w.settled(runId as string, ['succeeded']);
    const metrics = await waitFor('the run counted', async () => {
      const { body } = await get(port, '/metrics');
      return body.includes('sundial_runs_total{task="greet",outcome="succeeded"} 1') ? body : undefined;
    });
    expect(metrics).toContain('sundial_run_duration_seconds_count{task="greet"} 1');
    expect(metrics).toContain('sundial_runs_in_flight{task="greet"} 0');
    expect(metrics).toContain('process_cpu_user_seconds_total');
  });

  it('counts a failed attempt that is retried, then the final failure', async () => {
    const worker = await w.start({ tasks: [{ name: 'broken', retry: { attempts: 2, backoff: 'fixed', delayMs: 10 }, handler: () => Promise.reject(new Error('boom')) }], port: 0 });
    const [runId] = await w.fire('breaker', 'broken');
    await w.settled(runId as string, ['failed']);
    const body = await waitFor('the failure counted', async () => {
      const text = (await get(worker.httpPort as number, '/metrics')).body;
      return text.includes('sundial_runs_total{task="broken",outcome="failed"} 1') ? text : undefined;
    });
    expect(body).toContain('sundial_runs_total{task="broken",outcome="retried"} 1');
  });

  it('stops serving once closed', async () => {
    const worker = await w.start({ tasks: [{ name: 'quiet', handler: () => undefined }], port: 0 });
    await worker.close();
    await expect(fetch(`http://127.0.0.1:${worker.httpPort as number}/healthz`)).rejects.toThrow();
  });
});

describe('coordinator metrics (real Redis)', () => {
  let admin: Redis;
  let namespace: string;
  let coordinator: Coordinator | undefined;
  let blocker: Server | undefined;

  beforeAll(async () => {
    admin = await connectRedis(testRedisUrl(), { connectionName: 'sundial:test-admin' });
  });

  beforeEach(() => {
    namespace = uniqueNamespace('metrics');
  });

  afterEach(async () => {
    await coordinator?.stop();
    coordinator = undefined;
    await new Promise<void>((resolve) => (blocker ? blocker.close(() => resolve()) : resolve()));
    blocker = undefined;
    await deleteNamespace(admin, namespace);
  });

  afterAll(async () => {
    await admin.quit();
  });

  it('shows sundial_leader 1 once elected, with its epoch, and is ready', async () => {
    coordinator = await startCoordinator({ connection: testRedisUrl(), namespace, port: 0, maxSleepMs: 200 }, pino({ level: 'silent' }));
    const port = coordinator.httpPort as number;
    expect(port).toBeGreaterThan(0);
    const elected = coordinator;
    const lease = await waitFor('a lease', () => elected.lease());
    const body = await waitFor('sundial_leader 1', async () => {
      const text = (await get(port, '/metrics')).body;
      return /^sundial_leader 1$/m.test(text) ? text : undefined;
    });
    expect(body).toMatch(new RegExp(`^sundial_leader_epoch ${lease.epoch}$`, 'm'));
    expect(body).toMatch(/^sundial_clock_skew_seconds -?\d/m);
    expect(body).toContain('# TYPE sundial_fires_total counter');
    expect(await get(port, '/healthz')).toEqual({ status: 200, body: 'ok\n' });
    expect(await get(port, '/readyz')).toEqual({ status: 200, body: 'ready\n' });
  });

  it('serves no HTTP without a port', async () => {
    coordinator = await startCoordinator({ connection: testRedisUrl(), namespace }, pino({ level: 'silent' }));
    expect(coordinator.httpPort).toBeUndefined();
  });

  it('`sundial coordinator --port` on a port in use fails with one line and status 2', async () => {
    blocker = createServer();
    const port = await new Promise<number>((resolve) => blocker!.listen(0, () => resolve((blocker!.address() as { port: number }).port)));
    const result = await runCli({ REDIS_URL: testRedisUrl(), SUNDIAL_NAMESPACE: namespace, SUNDIAL_LOG_LEVEL: 'silent' }, 'coordinator', '--port', String(port));
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe(`sundial: --port: port ${port} is already in use\n`);
  });

  it('`sundial coordinator --port` rejects a value that is not a port', async () => {
    const result = await runCli({ REDIS_URL: testRedisUrl(), SUNDIAL_NAMESPACE: namespace }, 'coordinator', '--port', 'http');
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe('sundial: --port: expected a port number from 0 to 65535, got "http"\n');
  });
});
