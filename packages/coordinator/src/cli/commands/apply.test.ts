import { ExitCode, connectRedis, namespaceKeys, type Schedule, type WorkerHeartbeat } from '@sundial/shared';
import type { Redis } from 'ioredis';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify as stringifyYaml } from 'yaml';
import { runCli } from '../../../../../test/helpers/cli';
import { deleteNamespace, testRedisUrl, uniqueNamespace } from '../../../../../test/support/namespace';
import { closeClient } from '../../../../../test/support/redis-client';

const hourly = { id: 'hourly', task: 'sync', trigger: { every: '1h' }, queue: 'sync' };
const nightly = { id: 'nightly', task: 'report', trigger: { cron: '0 2 * * *', timezone: 'Europe/Berlin' }, data: { to: 'ops' }, retry: { attempts: 3, delay: '1s' } };
const weekly = { id: 'weekly', task: 'report', trigger: { calendar: { weeks: 1, time: '06:00' } }, labels: { team: 'billing' } };

describe('sundial apply (in process, real Redis)', () => {
  let admin: Redis;
  let dir: string;
  let namespace: string;
  let env: Record<string, string>;
  let files = 0;

  const sundial = (...args: string[]) => runCli(env, ...args);

  /** Writes a schedule file (YAML unless the name ends in .json) and returns its path. */
  function file(content: unknown, extension = 'yaml'): string {
    files += 1;
    const path = join(dir, `schedules-${files}.${extension}`);
    writeFileSync(path, extension === 'json' ? JSON.stringify(content) : stringifyYaml(content));
    return path;
  }

  async function schedules(): Promise<Schedule[]> {
    const result = await sundial('schedule', 'list', '-o', 'json');
    return (JSON.parse(result.stdout) as { schedules: Schedule[] }).schedules;
  }

  async function apply(...args: string[]): Promise<{ exitCode: number; diff: Record<string, unknown>; stderr: string }> {
    const result = await sundial('apply', ...args, '-o', 'json');
    return { exitCode: result.exitCode, diff: result.stdout === '' ? {} : (JSON.parse(result.stdout) as Record<string, unknown>), stderr: result.stderr };
  }

  beforeAll(async () => {
    admin = await connectRedis(testRedisUrl(), { connectionName: 'sundial:test-admin' });
    dir = mkdtempSync(join(tmpdir(), 'sundial-apply-'));
  });

  beforeEach(() => {
    namespace = uniqueNamespace('cli-apply');
    env = { REDIS_URL: testRedisUrl(), SUNDIAL_NAMESPACE: namespace };
  });

  afterEach(async () => {
    await deleteNamespace(admin, namespace);
  });

  afterAll(async () => {
    await closeClient(admin);
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates the schedules of a file, as add would, and prints the diff', async () => {
    const result = await sundial('apply', '-f', file({ schedules: [hourly, nightly] }));
    expect(result.exitCode).toBe(ExitCode.OK);
    expect(result.stdout).toBe('+ hourly\n+ nightly\n2 created, 0 updated, 0 unchanged, 0 removed\n');
    expect(result.stderr).toBe(
      [
        'sundial: warning: hourly: no live worker serves task "sync" yet; its runs wait in the queue until one does',
        'sundial: warning: nightly: no live worker serves task "report" yet; its runs wait in the queue until one does',
        '',
      ].join('\n'),
    );
    const stored = await schedules();
    expect(stored.map((schedule) => schedule.id)).toEqual(['hourly', 'nightly']);
    expect(stored[1]).toMatchObject({ trigger: nightly.trigger, data: { to: 'ops' }, retry: { attempts: 3, backoff: 'exponential', delay: 1_000 } });
  });

  it('changes nothing when the same file is applied again', async () => {
    const path = file({ schedules: [hourly, nightly, weekly] });
    expect((await apply('-f', path)).diff).toEqual({ created: ['hourly', 'nightly', 'weekly'], updated: [], unchanged: [], removed: [] });
    const before = await schedules();
    const again = await apply('-f', path);
    expect(again).toEqual({ exitCode: ExitCode.OK, diff: { created: [], updated: [], unchanged: ['hourly', 'nightly', 'weekly'], removed: [] }, stderr: '' });
    expect(await schedules()).toEqual(before);
  });

  it('reads JSON files and a top-level array', async () => {
    expect((await apply('-f', file({ schedules: [hourly] }, 'json'))).diff).toMatchObject({ created: ['hourly'] });
    expect((await apply('-f', file([hourly, nightly], 'json'))).diff).toMatchObject({ created: ['nightly'], unchanged: ['hourly'] });
    expect((await apply('-f', file([hourly, nightly]))).diff).toMatchObject({ unchanged: ['hourly', 'nightly'] });
  });

  it('updates what differs, field by field, including fields the file drops', async () => {
    await apply('-f', file({ schedules: [hourly, nightly] }));
    const changedNightly = { ...nightly, trigger: { cron: '0 3 * * *', timezone: 'Europe/Berlin' }, retry: undefined };
    const path = file({ schedules: [hourly, { ...changedNightly, paused: true }] });
    const table = await sundial('apply', '-f', path);
    expect(table.stdout).toBe('~ nightly (trigger, retry, paused)\n= hourly\n0 created, 1 updated, 1 unchanged, 0 removed\n');
    const stored = (await schedules()).find((schedule) => schedule.id === 'nightly');
    expect(stored).toMatchObject({ trigger: changedNightly.trigger, state: { paused: true } });
    expect(stored).not.toHaveProperty('retry');
    expect((await apply('-f', path)).diff).toMatchObject({ updated: [], unchanged: ['hourly', 'nightly'] });
  });

  it('resumes a paused schedule when the file says paused: false, and leaves the state alone when it does not say', async () => {
    await apply('-f', file({ schedules: [{ ...hourly, paused: true }] }));
    expect((await apply('-f', file({ schedules: [hourly] }))).diff).toMatchObject({ unchanged: ['hourly'] });
    expect((await apply('-f', file({ schedules: [{ ...hourly, paused: false }] }))).diff).toMatchObject({ updated: [{ id: 'hourly', fields: ['paused'] }] });
    expect((await schedules())[0]?.state.paused).toBe(false);
  });

  it('removes schedules missing from the file only with --prune', async () => {
    await apply('-f', file({ schedules: [hourly, nightly] }));
    const onlyHourly = file({ schedules: [hourly] });
    const kept = await sundial('apply', '-f', onlyHourly);
    expect(kept.stdout).toBe('= hourly\n0 created, 0 updated, 1 unchanged, 0 removed; 1 not in the file kept (--prune removes them)\n');
    expect((await schedules()).map((schedule) => schedule.id)).toEqual(['hourly', 'nightly']);
    const pruned = await sundial('apply', '-f', onlyHourly, '--prune');
    expect(pruned.stdout).toBe('- nightly\n= hourly\n0 created, 0 updated, 1 unchanged, 1 removed\n');
    expect((await schedules()).map((schedule) => schedule.id)).toEqual(['hourly']);
  });

  it('prints the diff and changes nothing with --dry-run', async () => {
    await apply('-f', file({ schedules: [hourly, nightly] }));
    const before = await schedules();
    const path = file({ schedules: [{ ...hourly, queue: 'other' }, weekly] });
    const result = await sundial('apply', '-f', path, '--prune', '--dry-run');
    expect(result).toEqual({
      exitCode: ExitCode.OK,
      stdout: '+ weekly\n~ hourly (queue)\n- nightly\n1 created, 1 updated, 0 unchanged, 1 removed (dry run: nothing changed)\n',
      stderr: '',
    });
    expect(await schedules()).toEqual(before);
    expect((await apply('-f', path, '--prune', '--dry-run')).diff).toEqual({ created: ['weekly'], updated: [{ id: 'hourly', fields: ['queue'] }], unchanged: [], removed: ['nightly'] });
  });

  it('lists every bad entry, one line each, exits 2 and applies nothing', async () => {
    const path = file({
      schedules: [hourly, { ...nightly, trigger: { cron: '0 2 * * MON-XYZ' } }, weekly, { id: 'broken', trigger: { every: '5m' } }],
    });
    const result = await sundial('apply', '-f', path);
    expect(result.exitCode).toBe(ExitCode.INVALID_INPUT);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^sundial: schedules\[1\]\.trigger\.cron: /);
    expect(lines[1]).toMatch(/^sundial: schedules\[3\]\.task: /);
    expect(await schedules()).toEqual([]);
  });

  it('rejects repeated ids, naming both entries', async () => {
    const result = await sundial('apply', '-f', file({ schedules: [hourly, nightly, { ...hourly, queue: 'x' }] }));
    expect(result).toEqual({ exitCode: ExitCode.INVALID_INPUT, stdout: '', stderr: 'sundial: schedules[2].id: "hourly" is already the id of schedules[0]\n' });
  });

  it.each<[string, string, RegExp]>([
    ['a missing file', 'missing.yaml', /^sundial: -f: cannot read .*missing\.yaml: ENOENT/],
    ['a file that is not YAML', 'schedules: [\n  {id: a\n', /^sundial: -f: .* is not valid YAML or JSON: /],
    ['a file without schedules', 'version: 2\n', /^sundial: version: unknown field/],
  ])('rejects %s with one line and exit 2', async (_name, content, message) => {
    const path = join(dir, `raw-${(files += 1)}.yaml`);
    if (content !== 'missing.yaml') writeFileSync(path, content);
    const result = await sundial('apply', '-f', content === 'missing.yaml' ? join(dir, 'missing.yaml') : path);
    expect(result.exitCode).toBe(ExitCode.INVALID_INPUT);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.split('\n')).toHaveLength(2);
  });

  describe('--strict', () => {
    it('refuses, applying nothing, when a task to schedule has no live worker', async () => {
      const beat: WorkerHeartbeat = { id: 'w', host: 'test', pid: 1, version: '0.1.0', queues: ['sync'], tasks: ['sync'], concurrency: 1, inFlight: 0, expiresAt: Date.now() + 60_000 };
      await admin.hset(namespaceKeys(namespace).workers, beat.id, JSON.stringify(beat));
      const result = await sundial('apply', '-f', file({ schedules: [hourly, nightly, weekly] }), '--strict');
      expect(result.exitCode).toBe(ExitCode.INVALID_INPUT);
      expect(result.stderr.trimEnd().split('\n')).toEqual([
        'sundial: schedules[1].task: no live worker serves task "report"; with --strict nothing is written until one does (or drop --strict)',
        'sundial: schedules[2].task: no live worker serves task "report"; with --strict nothing is written until one does (or drop --strict)',
      ]);
      expect(await schedules()).toEqual([]);
      expect(await sundial('apply', '-f', file({ schedules: [hourly] }), '--strict')).toMatchObject({ exitCode: ExitCode.OK, stderr: '' });
    });
  });
});
