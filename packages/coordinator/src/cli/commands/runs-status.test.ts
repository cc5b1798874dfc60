import { ExitCode, connectRedis, type ClusterStatus, type Run } from '@sundial/shared';
import type { Redis } from 'ioredis';
import { runCli, startCli, type RunningCli } from '../../../../../test/helpers/cli';
import { findFreePort } from '../../../../../test/support/free-port';
import { deleteNamespace, testRedisUrl, uniqueNamespace } from '../../../../../test/support/namespace';
import { closeClient } from '../../../../../test/support/redis-client';

jest.setTimeout(30_000);

const RUN_STATUSES = ['enqueued', 'running', 'succeeded', 'failed', 'missed', 'skipped', 'cancelled'];

/** Polls `probe` until it returns a value, or fails after `timeoutMs` saying what it waited for. */
async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('sundial runs, status and coordinator (in process, real Redis)', () => {
  let admin: Redis;
  let namespace: string;
  let env: Record<string, string>;
  let coordinator: RunningCli | undefined;

  const sundial = (...args: string[]) => runCli(env, ...args);

  async function status(): Promise<ClusterStatus> {
    return JSON.parse((await sundial('status', '-o', 'json')).stdout) as ClusterStatus;
  }

  /** Starts `sundial coordinator` in this process and waits until it leads. */
  async function startCoordinator(...flags: string[]): Promise<RunningCli> {
    coordinator = startCli({ ...env, SUNDIAL_LOG_LEVEL: 'warn' }, 'coordinator', '--port', '0', '--max-sleep', '200ms', ...flags);
    await waitFor('a leader', async () => ((await status()).coordinators.some((each) => each.leader) ? true : undefined));
    return coordinator;
  }

  async function stopCoordinator(running: RunningCli): Promise<number> {
    running.signal('SIGTERM');
    const { exitCode } = await running.done;
    coordinator = undefined;
    return exitCode;
  }

  beforeAll(async () => {
    admin = await connectRedis(testRedisUrl(), { connectionName: 'sundial:test-admin' });
  });

  beforeEach(() => {
    namespace = uniqueNamespace('cli-runs');
    env = { REDIS_URL: testRedisUrl(), SUNDIAL_NAMESPACE: namespace };
  });

  afterEach(async () => {
    if (coordinator) await stopCoordinator(coordinator);
    await deleteNamespace(admin, namespace);
  });

  afterAll(async () => {
    await closeClient(admin);
  });

  it('lists runs as JSON with runId, scheduleId, fireTime, status and attempts, and gets one', async () => {
    const running = await startCoordinator();
    await sundial('schedule', 'add', 'hourly', '--task', 'sync', '--every', '1h');
    const { runId } = JSON.parse((await sundial('schedule', 'trigger', 'hourly', '-o', 'json')).stdout) as { runId: string };
    const runs = await waitFor('the triggered run', async () => {
      const listed = JSON.parse((await sundial('runs', 'list', '-o', 'json')).stdout) as Run[];
      return listed.some((run) => run.runId === runId) ? listed : undefined;
    });
    expect(Array.isArray(runs)).toBe(true);
    for (const run of runs) {
      expect(run).toEqual(expect.objectContaining({ runId: expect.any(String), scheduleId: 'hourly', status: expect.any(String), attempts: expect.any(Number) }));
      expect(new Date(run.fireTime).toISOString()).toBe(run.fireTime);
      expect(RUN_STATUSES).toContain(run.status);
    }
    const triggered = runs.find((run) => run.runId === runId);
    expect(triggered).toMatchObject({ kind: 'manual', status: 'enqueued' });

    expect(JSON.parse((await sundial('runs', 'list', '--schedule', 'hourly', '-o', 'json')).stdout)).toEqual(runs);
    expect(JSON.parse((await sundial('runs', 'get', runId, '-o', 'json')).stdout)).toEqual(triggered);
    const table = (await sundial('runs', 'list')).stdout.split('\n');
    expect(table[0]).toMatch(/^RUN\s+FIRE TIME \(UTC\)\s+STATUS\s+ATTEMPTS\s+NOTE$/);
    expect(table).toContainEqual(expect.stringMatching(new RegExp(`^${runId}\\s+\\S+Z\\s+enqueued\\s+0$`)));
    expect((await sundial('runs', 'get', runId)).stdout).toContain(`run:        ${runId}\n`);
    expect(await sundial('runs', 'list', '--before', '2000-01-01T00:00:00Z', '-o', 'json')).toMatchObject({ exitCode: ExitCode.OK, stdout: '[]\n' });

    expect(await stopCoordinator(running)).toBe(ExitCode.OK);
  });

  it('shows the namespace, epoch, the leader and the counts', async () => {
    await startCoordinator();
    await sundial('schedule', 'add', 'hourly', '--task', 'sync', '--every', '1h');
    await sundial('schedule', 'add', 'paused', '--task', 'sync', '--every', '1h', '--paused');
    const current = await status();
    expect(current).toMatchObject({ namespace, schedules: 2, activeSchedules: 1, workers: [] });
    expect(current.epoch).toBeGreaterThanOrEqual(1);
    expect(current.coordinators).toEqual([expect.objectContaining({ leader: true, epoch: current.epoch, pid: process.pid })]);
    const table = (await sundial('status')).stdout;
    expect(table).toContain(`namespace:         ${namespace}\n`);
    expect(table).toContain('schedules:         2 (1 active)\n');
    expect(table).toMatch(new RegExp(`\\n${current.coordinators[0]?.id}\\s+\\*\\s+`));
    expect(table).toContain('no live workers\n');
    expect((await sundial('status', '-o', 'yaml')).stdout).toContain(`namespace: ${namespace}\n`);
  });

  it('stops the coordinator on SIGINT, and exits at once on a second signal', async () => {
    const running = await startCoordinator();
    running.signal('SIGINT');
    running.signal('SIGTERM');
    expect((await running.done).exitCode).toBe(ExitCode.OK);
    coordinator = undefined;
    expect(running.exits).toEqual([ExitCode.UNEXPECTED]);
    expect((await status()).coordinators).toEqual([]);
  });

  it.each<[string, string[], number, RegExp]>([
    ['an unknown run', ['runs', 'get', 'nope@1'], ExitCode.NOT_FOUND, /^sundial: run "nope@1" not found\n$/],
    ['the runs of an unknown schedule', ['runs', 'list', '--schedule', 'nope'], ExitCode.NOT_FOUND, /^sundial: schedule "nope" not found\n$/],
    ['a --before that is not a time', ['runs', 'list', '--before', 'soon'], ExitCode.INVALID_INPUT, /^sundial: --before: /],
    ['a limit past 1000', ['runs', 'list', '--limit', '1001'], ExitCode.INVALID_INPUT, /^sundial: --limit: /],
    ['a lease too short for its renewal', ['coordinator', '--lease', '2s', '--renew-every', '1s'], ExitCode.INVALID_INPUT, /^sundial: --renew-every: /],
    ['a lease that is not a duration', ['coordinator', '--lease', 'long'], ExitCode.INVALID_INPUT, /^sundial: --lease: /],
    ['a job retention below a second', ['coordinator', '--job-retention-failed', '10ms'], ExitCode.INVALID_INPUT, /^sundial: --job-retention-failed: /],
  ])('reports %s on one line', async (_name, args, exitCode, message) => {
    const result = await sundial(...args);
    expect(result.exitCode).toBe(exitCode);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
  });

  it('rejects an unknown log level before starting a coordinator', async () => {
    expect(await runCli({ ...env, SUNDIAL_LOG_LEVEL: 'loud' }, 'coordinator')).toMatchObject({ exitCode: ExitCode.INVALID_INPUT, stderr: expect.stringMatching(/^sundial: SUNDIAL_LOG_LEVEL: [^\n]+\n$/) });
  });

  it('exits 1 with one line when Redis is unreachable at start', async () => {
    const port = await findFreePort();
    const result = await runCli({ REDIS_URL: `redis://127.0.0.1:${port}`, SUNDIAL_NAMESPACE: namespace }, 'coordinator');
    expect(result.exitCode).toBe(ExitCode.UNEXPECTED);
    expect(result.stderr).toMatch(/^sundial: could not connect to Redis at [^\n]+\n$/);
  });
});
