import { ExitCode, connectRedis, type ClusterStatus, type Run, type Schedule } from '@sundial/shared';
import type { Redis } from 'ioredis';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { runCli, startCli } from '../../../../../test/helpers/cli';
import { waitFor } from '../../../../../test/helpers/worker-fixture';
import { findFreePort } from '../../../../../test/support/free-port';
import { deleteNamespace, testRedisUrl, uniqueNamespace } from '../../../../../test/support/namespace';
import { closeClient } from '../../../../../test/support/redis-client';
import { startCoordinator, type Coordinator } from '../../coordinator';

// The CLI in both modes against one coordinator: on Redis (REDIS_URL) and through its admin API
// (--api, or SUNDIAL_API_URL). No worker runs, so triggered runs stay enqueued until cancelled.

jest.setTimeout(60_000);

const TOKEN = 'cli-admin-0a1b2c3d4e5f60718293a4b5c6d7e8f9';

let admin: Redis;
let coordinator: Coordinator;
let namespace: string;
let apiUrl: string;
let dir: string;

beforeAll(async () => {
  admin = await connectRedis(testRedisUrl(), { connectionName: 'sundial:test-admin' });
  namespace = uniqueNamespace('cli-api');
  dir = mkdtempSync(join(tmpdir(), 'sundial-api-mode-'));
  coordinator = await startCoordinator(
    { connection: testRedisUrl(), namespace, port: 0, maxSleepMs: 200, api: { tokens: [{ scope: 'admin', token: TOKEN }] } },
    pino({ level: 'silent' }),
  );
  apiUrl = `http://127.0.0.1:${coordinator.httpPort as number}`;
});

afterAll(async () => {
  await coordinator?.stop();
  await deleteNamespace(admin, namespace);
  await closeClient(admin);
  rmSync(dir, { recursive: true, force: true });
});

/** How each mode is selected: its environment and the flags before the command. */
const MODES: [string, () => { env: Record<string, string>; flags: string[] }][] = [
  ['Redis', () => ({ env: { REDIS_URL: testRedisUrl(), SUNDIAL_NAMESPACE: namespace }, flags: [] })],
  ['--api', () => ({ env: { REDIS_URL: 'redis://127.0.0.1:1' }, flags: ['--api', apiUrl, '--token', TOKEN] })],
  ['SUNDIAL_API_URL', () => ({ env: { SUNDIAL_API_URL: apiUrl, SUNDIAL_API_TOKEN: TOKEN }, flags: [] })],
];

describe.each(MODES)('sundial through %s', (mode, select) => {
  const sundial = (...args: string[]) => {
    const { env, flags } = select();
    return runCli(env, ...flags, ...args);
  };
  const id = (name: string) => `${mode.replace(/\W/g, '')}-${name}`;

  it('adds, gets, lists, pauses, resumes, updates and removes a schedule', async () => {
    const scheduleId = id('report');
    const added = await sundial('schedule', 'add', scheduleId, '--task', id('task'), '--cron', '0 9 * * *', '--tz', 'Europe/Berlin', '--label', 'team=ops', '-o', 'json');
    expect(added).toMatchObject({ exitCode: ExitCode.OK, stderr: expect.stringContaining('warning: no live worker serves task') });
    expect(JSON.parse(added.stdout)).toMatchObject({ id: scheduleId, labels: { team: 'ops' } });

    const listed = await sundial('schedule', 'list', '--task', id('task'), '-o', 'json');
    expect((JSON.parse(listed.stdout) as { schedules: Schedule[] }).schedules.map((schedule) => schedule.id)).toEqual([scheduleId]);
    expect((await sundial('schedule', 'pause', scheduleId, '-o', 'json')).stdout).toContain('"paused":true');
    expect((await sundial('schedule', 'resume', scheduleId, '-o', 'yaml')).stdout).toContain('paused: false');
    expect(JSON.parse((await sundial('schedule', 'update', scheduleId, '--label', 'team=billing', '-o', 'json')).stdout)).toMatchObject({ labels: { team: 'billing' } });
    expect((await sundial('schedule', 'get', scheduleId)).stdout).toContain(scheduleId);
    const backfill = await sundial('schedule', 'backfill', scheduleId, '--from', '2026-01-05T00:00', '--to', '2026-01-05T23:59', '-o', 'json');
    expect(JSON.parse(backfill.stdout)).toEqual({ runIds: [`${scheduleId}@backfill-${Date.parse('2026-01-05T08:00:00Z')}`] });
    expect(await sundial('schedule', 'remove', scheduleId)).toMatchObject({ exitCode: ExitCode.OK, stdout: `removed schedule "${scheduleId}"\n` });
  });

  it('prints the same one-line errors with the same exit codes', async () => {
    expect(await sundial('schedule', 'get', 'no-such-schedule')).toEqual({ exitCode: ExitCode.NOT_FOUND, stdout: '', stderr: 'sundial: schedule "no-such-schedule" not found\n' });
    expect(await sundial('runs', 'cancel', 'no-such@1')).toEqual({ exitCode: ExitCode.NOT_FOUND, stdout: '', stderr: 'sundial: run "no-such@1" not found\n' });
    const bad = await sundial('schedule', 'add', id('bad'), '--task', 't', '--cron', '61 * * * *');
    expect(bad.exitCode).toBe(ExitCode.INVALID_INPUT);
    expect(bad.stderr).toMatch(/^sundial: trigger\.cron: invalid minute field "61".*\n$/);
    await sundial('schedule', 'add', id('taken'), '--task', 't', '--every', '1h');
    const taken = await sundial('schedule', 'add', id('taken'), '--task', 't', '--every', '1h');
    expect(taken).toMatchObject({ exitCode: ExitCode.CONFLICT, stderr: expect.stringMatching(/^sundial: schedule ".*" already exists/) });
  });

  it('triggers a run, lists it with --status and --task, cancels it and refuses to cancel it again', async () => {
    const scheduleId = id('cancel');
    const task = id('cancel-task');
    await sundial('schedule', 'add', scheduleId, '--task', task, '--cron', '0 0 1 1 *');
    const runId = (await sundial('schedule', 'trigger', scheduleId)).stdout.trim();
    expect(runId).toMatch(new RegExp(`^${scheduleId}@now-\\d+$`));
    const listed = await waitFor('the run enqueued', async () => {
      const runs = JSON.parse((await sundial('runs', 'list', '--status', 'enqueued', '--task', task, '-o', 'json')).stdout) as Run[];
      return runs.length > 0 ? runs : undefined;
    });
    expect(listed.map((run) => run.runId)).toEqual([runId]);

    const cancelled = await sundial('runs', 'cancel', runId, '-o', 'json');
    expect(cancelled).toMatchObject({ exitCode: ExitCode.OK, stderr: '' });
    expect(JSON.parse(cancelled.stdout)).toMatchObject({ runId, status: 'cancelled', reason: 'operator' });
    expect(JSON.parse((await sundial('runs', 'list', '--status', 'cancelled', '--task', task, '-o', 'json')).stdout)).toEqual([expect.objectContaining({ runId })]);
    expect(JSON.parse((await sundial('runs', 'list', '--status', 'enqueued', '--task', task, '-o', 'json')).stdout)).toEqual([]);

    expect(await sundial('runs', 'cancel', runId)).toEqual({
      exitCode: ExitCode.INVALID_INPUT,
      stdout: '',
      stderr: `sundial: runId: run "${runId}" is cancelled; only an enqueued or running run can be cancelled\n`,
    });
    expect((await sundial('runs', 'list', '--status', 'done')).stderr).toMatch(/^sundial: --status: expected "enqueued", "running", .*\n$/);
  });

  it('applies a schedule file', async () => {
    const path = join(dir, `${id('file')}.yaml`);
    writeFileSync(path, `schedules:\n  - id: ${id('applied')}\n    task: ${id('applied-task')}\n    trigger: { every: 1h }\n`);
    const first = await sundial('apply', '-f', path, '-o', 'json');
    expect(first.exitCode).toBe(ExitCode.OK);
    expect(JSON.parse(first.stdout)).toMatchObject({ created: [id('applied')] });
    const again = await sundial('apply', '-f', path, '-o', 'json');
    expect(JSON.parse(again.stdout)).toMatchObject({ created: [], updated: [], unchanged: [id('applied')] });
    await sundial('schedule', 'remove', id('applied'));
  });

  it('redraws runs list with --watch until SIGINT, one JSON document per refresh', async () => {
    const { env, flags } = select();
    const running = startCli(env, ...flags, 'runs', 'list', '--limit', '1', '--watch', '--interval', '100ms', '-o', 'json');
    await waitFor('three refreshes', () => (running.stdout().split('\n').length > 3 ? true : undefined));
    running.signal('SIGINT');
    const { exitCode, stdout, stderr } = await running.done;
    expect({ exitCode, stderr }).toEqual({ exitCode: ExitCode.OK, stderr: '' });
    const documents = stdout.trimEnd().split('\n');
    expect(documents.length).toBeGreaterThanOrEqual(3);
    for (const document of documents) expect(Array.isArray(JSON.parse(document))).toBe(true);
  });

  it('redraws status with --watch until SIGTERM, a separator line between tables when stdout is not a terminal', async () => {
    const { env, flags } = select();
    const running = startCli(env, ...flags, 'status', '--watch', '--interval', '100ms');
    await waitFor('two refreshes', () => (running.stdout().includes('\n--- ') ? true : undefined));
    running.signal('SIGTERM');
    const { exitCode, stdout } = await running.done;
    expect(exitCode).toBe(ExitCode.OK);
    expect(stdout).not.toContain('\u001b[');
    expect(stdout).toMatch(/\n--- \d{4}-\d{2}-\d{2}T[\d:.]+Z\n/);
    expect(stdout.split(namespace).length - 1).toBeGreaterThanOrEqual(2);
  });
});

describe('sundial connection flags', () => {
  it('refuses --api with --redis-url, naming both', async () => {
    const result = await runCli({}, '--api', apiUrl, '--redis-url', testRedisUrl(), 'status');
    expect(result).toEqual({ exitCode: ExitCode.INVALID_INPUT, stdout: '', stderr: expect.stringMatching(/^sundial: --api: cannot be used with --redis-url.*\n$/) });
  });

  it('refuses --token without an API, and --namespace with one', async () => {
    expect((await runCli({ REDIS_URL: testRedisUrl() }, '--token', TOKEN, 'status')).stderr).toMatch(/^sundial: --token: .*--api/);
    expect((await runCli({}, '--api', apiUrl, '--namespace', 'other', 'status')).stderr).toMatch(/^sundial: --namespace: cannot be used with --api/);
  });

  it('refuses status --namespaces or --all-namespaces with --api, which serves one namespace', async () => {
    for (const flags of [['--namespaces', 'a,b'], ['--all-namespaces']]) {
      const result = await runCli({}, '--api', apiUrl, 'status', ...flags);
      expect(result).toEqual({ exitCode: ExitCode.INVALID_INPUT, stdout: '', stderr: expect.stringMatching(new RegExp(`^sundial: ${flags[0]}: reads several namespaces from Redis; it cannot be used with --api.*\n$`)) });
    }
  });

  it('takes an explicit --redis-url over SUNDIAL_API_URL', async () => {
    const result = await runCli({ SUNDIAL_API_URL: 'http://127.0.0.1:1', SUNDIAL_NAMESPACE: namespace }, '--redis-url', testRedisUrl(), 'status', '-o', 'json');
    expect(result.exitCode).toBe(ExitCode.OK);
    expect((JSON.parse(result.stdout) as ClusterStatus).namespace).toBe(namespace);
  });

  it('reports an unreachable API in one line naming --api, with the exit code of an unreachable Redis', async () => {
    const port = await findFreePort();
    const api = await runCli({}, '--api', `http://127.0.0.1:${port}`, 'status');
    expect(api.stderr).toMatch(new RegExp(`^sundial: could not reach the Sundial API at http://127\\.0\\.0\\.1:${port}: .*--api.*\\n$`));
    const redis = await runCli({}, '--redis-url', `redis://127.0.0.1:${port}`, 'status');
    expect(redis.stderr).toMatch(/^sundial: could not connect to Redis/);
    expect(api.exitCode).toBe(redis.exitCode);
    expect(api.exitCode).toBe(ExitCode.UNEXPECTED);
  });

  it('reports a refused token in one line', async () => {
    const result = await runCli({}, '--api', apiUrl, '--token', 'wrong-token', 'schedule', 'list');
    expect(result).toMatchObject({ exitCode: ExitCode.INVALID_INPUT, stdout: '' });
    expect(result.stderr).toMatch(/^sundial: the Sundial API refused the request: .*\n$/);
  });
});
