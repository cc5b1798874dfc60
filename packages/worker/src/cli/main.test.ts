import { ExitCode, connectRedis, type CliIo } from '@sundial/shared';
import type { Redis } from 'ioredis';
import { EventEmitter } from 'node:events';
import { createServer } from 'node:net';
import path from 'node:path';
import { deleteNamespace, testRedisUrl, uniqueNamespace } from '../../../../test/support/namespace';
import { closeClient } from '../../../../test/support/redis-client';
import { main } from './main';

jest.setTimeout(30_000);

const TASKS = path.join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'worker', 'tasks.js');

/** `sundial-worker ...args` in this process, with collected output and an emitter for signals. */
function startMain(env: Record<string, string>, ...args: string[]) {
  let stderr = '';
  let stdout = '';
  const exits: number[] = [];
  const signals = new EventEmitter();
  const context: CliIo = {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env,
    signals,
    exit: (code) => void exits.push(code),
  };
  const done = main(['node', 'sundial-worker', ...args], context);
  return { done, exits, signal: (name: 'SIGTERM' | 'SIGINT') => void signals.emit(name), stderr: () => stderr, stdout: () => stdout };
}

async function until(what: string, probe: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('sundial-worker in process (real Redis)', () => {
  let admin: Redis;
  let namespace: string;

  beforeAll(async () => {
    admin = await connectRedis(testRedisUrl(), { connectionName: 'sundial:test-admin' });
  });

  beforeEach(() => {
    namespace = uniqueNamespace('worker-cli');
  });

  afterEach(async () => {
    await deleteNamespace(admin, namespace);
  });

  afterAll(async () => {
    await closeClient(admin);
  });

  it('logs JSON lines on stderr, stops on SIGINT with status 0, and exits at once with 1 on a second signal', async () => {
    const run = startMain({ REDIS_URL: testRedisUrl(), SUNDIAL_NAMESPACE: namespace }, '--tasks', TASKS, '--concurrency', '2', '--queues', 'default,extra', '--port', '0');
    await until('the worker to start', () => run.stderr().includes('"msg":"worker started"'));
    const started = run.stderr().split('\n').map((line) => (line ? (JSON.parse(line) as Record<string, unknown>) : undefined)).find((line) => line?.msg === 'worker started');
    expect(started).toMatchObject({ name: 'sundial-worker', namespace, queues: ['default', 'extra'], tasks: ['hold', 'threaded'], concurrency: 2 });
    expect(await admin.hlen(`sundial:{${namespace}}:workers`)).toBe(1);
    run.signal('SIGINT');
    run.signal('SIGTERM');
    expect(await run.done).toBe(ExitCode.OK);
    expect(run.exits).toEqual([ExitCode.UNEXPECTED]);
    expect(run.stdout()).toBe('');
    expect(await admin.hlen(`sundial:{${namespace}}:workers`)).toBe(0);
  });

  it('prints its version and help on stdout', async () => {
    const version = startMain({}, '--version');
    expect(await version.done).toBe(ExitCode.OK);
    expect(version.stdout()).toMatch(/^\d+\.\d+\.\d+\n$/);
    const help = startMain({}, '--help');
    expect(await help.done).toBe(ExitCode.OK);
    expect(help.stdout()).toContain('--tasks <module>');
    expect(help.stderr()).toBe('');
  });
  it('serves /metrics, /healthz and /readyz with --port, and stops serving when stopped', async () => {
    const run = startMain({ REDIS_URL: testRedisUrl(), SUNDIAL_NAMESPACE: namespace }, '--tasks', TASKS, '--port', '0');
    await until('the worker to start', () => run.stderr().includes('"msg":"worker started"'));
    const started = run.stderr().split('\n').map((line) => (line ? (JSON.parse(line) as Record<string, unknown>) : undefined)).find((line) => line?.msg === 'worker started');
    const port = started?.httpPort as number;
    expect(port).toBeGreaterThan(0);
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
    expect(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text()).toContain('# TYPE sundial_runs_total counter');
    run.signal('SIGTERM');
    expect(await run.done).toBe(ExitCode.OK);
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  });

  it('fails with one line and status 2 when --port is in use', async () => {
    const blocker = createServer();
    const port = await new Promise<number>((resolve) => blocker.listen(0, () => resolve((blocker.address() as { port: number }).port)));
    try {
      const run = startMain({ REDIS_URL: testRedisUrl(), SUNDIAL_NAMESPACE: namespace, SUNDIAL_LOG_LEVEL: 'silent' }, '--tasks', TASKS, '--port', String(port));
      expect(await run.done).toBe(ExitCode.INVALID_INPUT);
      expect(run.stderr()).toBe(`sundial-worker: --port: port ${port} is already in use\n`);
      expect(await admin.hlen(`sundial:{${namespace}}:workers`)).toBe(0);
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });
});
