import { ExitCode, connectRedis, namespaceKeys, type Schedule, type WorkerHeartbeat } from '@sundial/shared';
import type { Redis } from 'ioredis';
import { parse as parseYaml } from 'yaml';
import { runCli, type CliResult } from '../../../../../test/helpers/cli';
import { findFreePort } from '../../../../../test/support/free-port';
import { deleteNamespace, testRedisUrl, uniqueNamespace } from '../../../../../test/support/namespace';
import { closeClient } from '../../../../../test/support/redis-client';

/** A schedule as `-o json` prints it. */
function scheduleOf(result: CliResult): Schedule {
  return JSON.parse(result.stdout) as Schedule;
}

describe('sundial schedule (in process, real Redis)', () => {
  let admin: Redis;
  let namespace: string;
  let env: Record<string, string>;
  const extraNamespaces: string[] = [];

  const sundial = (...args: string[]) => runCli(env, ...args);

  /** Publishes a live worker heartbeat serving `tasks`, as a worker process would. */
  async function startFakeWorker(tasks: string[]): Promise<void> {
    const beat: WorkerHeartbeat = { id: 'worker-1', host: 'test', pid: 1, version: '0.1.0', queues: ['default'], tasks, concurrency: 1, inFlight: 0, expiresAt: Date.now() + 60_000 };
    await admin.hset(namespaceKeys(namespace).workers, beat.id, JSON.stringify(beat));
  }

  beforeAll(async () => {
    admin = await connectRedis(testRedisUrl(), { connectionName: 'sundial:test-admin' });
  });

  beforeEach(() => {
    namespace = uniqueNamespace('cli-schedule');
    env = { REDIS_URL: testRedisUrl(), SUNDIAL_NAMESPACE: namespace };
  });

  afterEach(async () => {
    await deleteNamespace(admin, namespace);
    for (const other of extraNamespaces.splice(0)) await deleteNamespace(admin, other);
  });

  afterAll(async () => {
    await closeClient(admin);
  });

  describe('add and get', () => {
    it('adds a schedule, prints it, and warns on stderr that no worker serves its task', async () => {
      const added = await sundial('schedule', 'add', 'nightly', '--task', 'report', '--cron', '0 2 * * *', '--tz', 'Europe/Berlin', '--data', '{"to":"ops"}', '--label', 'team=billing', '-o', 'json');
      expect(added.exitCode).toBe(ExitCode.OK);
      expect(added.stderr).toBe('sundial: warning: no live worker serves task "report" yet; its runs wait in the queue until one does\n');
      expect(scheduleOf(added)).toMatchObject({
        id: 'nightly',
        task: 'report',
        trigger: { cron: '0 2 * * *', timezone: 'Europe/Berlin' },
        data: { to: 'ops' },
        queue: 'default',
        misfireGrace: null,
        coalesce: 'latest',
        overlap: 'skip',
        maxInstances: 1,
        labels: { team: 'billing' },
        state: { paused: false, enqueued: 0, missed: 0, skipped: 0 },
      });
      const got = await sundial('schedule', 'get', 'nightly', '-o', 'json');
      expect(got).toMatchObject({ exitCode: ExitCode.OK, stderr: '' });
      expect(scheduleOf(got)).toEqual(scheduleOf(added));
    });

    it('takes every policy flag', async () => {
      const added = await sundial(
        'schedule', 'add', 'sync', '--task', 'sync', '--every', '15m', '--queue', 'sync', '--paused',
        '--misfire-grace', '5m', '--coalesce', 'all', '--catch-up-limit', '20', '--overlap', 'buffer-one', '--max-instances', '3',
        '--priority', '5', '--timeout', '30s', '--retry-attempts', '4', '--retry-backoff', 'fixed', '--retry-delay', '2s', '-o', 'json',
      );
      expect(added.exitCode).toBe(ExitCode.OK);
      expect(scheduleOf(added)).toMatchObject({
        trigger: { every: '15m' },
        queue: 'sync',
        misfireGrace: 300_000,
        coalesce: 'all',
        catchUpLimit: 20,
        overlap: 'buffer-one',
        maxInstances: 3,
        priority: 5,
        timeout: 30_000,
        retry: { attempts: 4, backoff: 'fixed', delay: 2_000 },
        state: { paused: true },
      });
    });

    it('prints the key facts as a table, and the same schedule as YAML', async () => {
      await sundial('schedule', 'add', 'nightly', '--task', 'report', '--cron', '0 2 * * *', '--misfire-grace', '10m');
      const table = await sundial('schedule', 'get', 'nightly');
      const lines = table.stdout.trimEnd().split('\n');
      expect(lines).toEqual(
        expect.arrayContaining([
          'id:              nightly',
          'task:            report',
          'trigger:         {"cron":"0 2 * * *"}',
          'queue:           default',
          'misfire grace:   10m',
          'overlap:         skip',
          'state:           active',
          'runs:            0 enqueued, 0 missed, 0 skipped',
        ]),
      );
      expect(lines.find((line) => line.startsWith('next fire time:'))).toMatch(/^next fire time: {2}\d{4}-\d\d-\d\dT02:00:00\.000Z$/);
      const yaml = await sundial('schedule', 'get', 'nightly', '-o', 'yaml');
      const json = await sundial('schedule', 'get', 'nightly', '-o', 'json');
      expect(parseYaml(yaml.stdout)).toEqual(JSON.parse(json.stdout));
    });

    it('refuses a taken id with exit 4, and keeps or replaces it when asked', async () => {
      await sundial('schedule', 'add', 'nightly', '--task', 'report', '--every', '1h');
      expect(await sundial('schedule', 'add', 'nightly', '--task', 'other', '--every', '5m')).toEqual({
        exitCode: ExitCode.CONFLICT,
        stdout: '',
        stderr: 'sundial: schedule "nightly" already exists; replace or keep it (onConflict, or --on-conflict replace|keep), or update it\n',
      });
      const kept = await sundial('schedule', 'add', 'nightly', '--task', 'other', '--every', '5m', '--on-conflict', 'keep', '-o', 'json');
      expect(kept.exitCode).toBe(ExitCode.OK);
      expect(kept.stderr).toContain('sundial: warning: schedule "nightly" already exists; kept it unchanged');
      expect(scheduleOf(kept)).toMatchObject({ task: 'report', trigger: { every: '1h' } });
      const replaced = await sundial('schedule', 'add', 'nightly', '--task', 'other', '--every', '5m', '--on-conflict', 'replace', '-o', 'json');
      expect(scheduleOf(replaced)).toMatchObject({ task: 'other', trigger: { every: '5m' } });
    });

    it.each<[string, string[], string]>([
      ['a bad cron field', ['--task', 'report', '--cron', '61 * * * *'], 'sundial: trigger.cron: '],
      ['an unknown zone', ['--task', 'report', '--cron', '0 9 * * *', '--tz', 'Mars/Base'], 'sundial: trigger.timezone: '],
      ['malformed --data', ['--task', 'report', '--every', '1h', '--data', '{to: ops}'], 'sundial: --data: malformed JSON'],
      ['a bad misfire grace', ['--task', 'report', '--every', '1h', '--misfire-grace', 'soon'], 'sundial: --misfire-grace: '],
      ['max instances of 0', ['--task', 'report', '--every', '1h', '--max-instances', '0'], 'sundial: --max-instances: expected a whole number from 1 to 1000'],
      ['an unknown overlap policy', ['--task', 'report', '--every', '1h', '--overlap', 'queue'], 'sundial: --overlap: '],
      ['an unknown conflict policy', ['--task', 'report', '--every', '1h', '--on-conflict', 'merge'], 'sundial: --on-conflict: '],
      ['no --task', ['--every', '1h'], "sundial: required option '--task <name>' not specified"],
      ['no trigger', ['--task', 'report'], 'sundial: trigger: expected exactly one of'],
    ])('rejects %s with exit 2, one line, and writes nothing', async (_name, flags, message) => {
      const result = await sundial('schedule', 'add', 'nightly', ...flags);
      expect(result.exitCode).toBe(ExitCode.INVALID_INPUT);
      expect(result.stdout).toBe('');
      expect(result.stderr.startsWith(message)).toBe(true);
      expect(result.stderr.split('\n')).toHaveLength(2);
      expect((await sundial('schedule', 'get', 'nightly')).exitCode).toBe(ExitCode.NOT_FOUND);
    });

    it('rejects a bad id, naming the field', async () => {
      const result = await sundial('schedule', 'add', 'a:b', '--task', 'report', '--every', '1h');
      expect(result.exitCode).toBe(ExitCode.INVALID_INPUT);
      expect(result.stderr).toMatch(/^sundial: id: expected 1-200 letters/);
    });
  });

  describe('--strict', () => {
    it('refuses with exit 2 and writes nothing when no live worker serves the task', async () => {
      const result = await sundial('schedule', 'add', 'nightly', '--task', 'report', '--every', '1h', '--strict');
      expect(result).toEqual({
        exitCode: ExitCode.INVALID_INPUT,
        stdout: '',
        stderr: 'sundial: --task: no live worker serves task "report"; with --strict nothing is written until one does (or drop --strict)\n',
      });
      expect((await sundial('schedule', 'get', 'nightly')).exitCode).toBe(ExitCode.NOT_FOUND);
    });

    it('adds without a warning when a live worker serves the task', async () => {
      await startFakeWorker(['report']);
      const result = await sundial('schedule', 'add', 'nightly', '--task', 'report', '--every', '1h', '--strict', '-o', 'json');
      expect(result.exitCode).toBe(ExitCode.OK);
      expect(result.stderr).toBe('');
      expect(scheduleOf(result).id).toBe('nightly');
    });
  });

  describe('list', () => {
    beforeEach(async () => {
      await sundial('schedule', 'add', 'a', '--task', 'report', '--every', '1h', '--label', 'team=billing');
      await sundial('schedule', 'add', 'b', '--task', 'sync', '--every', '5m', '--queue', 'sync', '--paused');
      await sundial('schedule', 'add', 'c', '--task', 'report', '--at', '2020-01-01T00:00:00Z', '--label', 'team=ops');
    });

    const idsOf = (result: CliResult) => (JSON.parse(result.stdout) as { schedules: Schedule[] }).schedules.map((schedule) => schedule.id);

    it('prints {schedules, nextCursor} in creation order', async () => {
      const result = await sundial('schedule', 'list', '-o', 'json');
      expect(result.exitCode).toBe(ExitCode.OK);
      const page = JSON.parse(result.stdout) as { schedules: Schedule[]; nextCursor: string | null };
      expect(page.schedules.map((schedule) => schedule.id)).toEqual(['a', 'b', 'c']);
      expect(page.nextCursor).toBeNull();
    });

    it.each<[string, string[], string[]]>([
      ['a task', ['--task', 'report'], ['a', 'c']],
      ['a queue', ['--queue', 'sync'], ['b']],
      ['the paused state', ['--state', 'paused'], ['b']],
      ['the active state', ['--state', 'active'], ['a']],
      ['the finished state', ['--state', 'finished'], ['c']],
      ['a label', ['--label', 'team=ops'], ['c']],
      ['a task and a label', ['--task', 'report', '--label', 'team=billing'], ['a']],
    ])('filters by %s', async (_name, flags, ids) => {
      expect(idsOf(await sundial('schedule', 'list', ...flags, '-o', 'json'))).toEqual(ids);
    });

    it('pages with --limit and --cursor', async () => {
      const first = JSON.parse((await sundial('schedule', 'list', '--limit', '2', '-o', 'json')).stdout) as { schedules: Schedule[]; nextCursor: string };
      expect(first.schedules.map((schedule) => schedule.id)).toEqual(['a', 'b']);
      expect(first.nextCursor).not.toBeNull();
      expect(idsOf(await sundial('schedule', 'list', '--limit', '2', '--cursor', first.nextCursor, '-o', 'json'))).toEqual(['c']);
      const table = await sundial('schedule', 'list', '--limit', '2');
      expect(table.stdout.trimEnd().split('\n').pop()).toBe(`more: --cursor ${first.nextCursor}`);
    });

    it('prints a table: id, task, trigger, state, next fire time and counts', async () => {
      const lines = (await sundial('schedule', 'list')).stdout.trimEnd().split('\n');
      expect(lines[0]).toMatch(/^ID\s+TASK\s+TRIGGER\s+STATE\s+NEXT FIRE \(UTC\)\s+ENQUEUED\s+MISSED\s+SKIPPED$/);
      expect(lines[1]).toMatch(/^a\s+report\s+\{"every":"1h"\}\s+active\s+\d{4}-\d\d-\d\dT\S+Z\s+0\s+0\s+0$/);
      expect(lines[2]).toMatch(/^b\s+sync\s+\{"every":"5m"\}\s+paused\s/);
      expect(lines[3]).toMatch(/^c\s+report\s+\{"at":"2020-01-01T00:00:00Z"\}\s+finished\s+-\s+0\s+0\s+0$/);
    });

    it.each<[string, string[], string]>([
      ['an unknown state', ['--state', 'done'], '--state'],
      ['a limit of 0', ['--limit', '0'], '--limit'],
      ['a cursor that is not one', ['--cursor', 'abc'], '--cursor'],
      ['a label without =', ['--label', 'team'], '--label'],
    ])('rejects %s with exit 2', async (_name, flags, field) => {
      const result = await sundial('schedule', 'list', ...flags);
      expect(result.exitCode).toBe(ExitCode.INVALID_INPUT);
      expect(result.stderr.startsWith(`sundial: ${field}: `)).toBe(true);
    });

    it('says so when there are no schedules', async () => {
      expect((await sundial('schedule', 'list', '--task', 'nothing')).stdout).toBe('no schedules\n');
    });
  });

  describe('update', () => {
    beforeEach(async () => {
      await sundial('schedule', 'add', 'nightly', '--task', 'report', '--cron', '0 2 * * *', '--queue', 'reports', '--retry-attempts', '3', '--retry-delay', '1s', '--label', 'team=billing');
    });

    it('changes only the fields given', async () => {
      const before = scheduleOf(await sundial('schedule', 'get', 'nightly', '-o', 'json'));
      const result = await sundial('schedule', 'update', 'nightly', '--max-instances', '2', '--data', '{"format":"csv"}', '-o', 'json');
      expect(result.exitCode).toBe(ExitCode.OK);
      const after = scheduleOf(result);
      expect(after).toEqual({ ...before, maxInstances: 2, data: { format: 'csv' }, state: expect.anything() });
      expect(after.state.version).toBeGreaterThan(before.state.version);
    });

    it('takes the trigger flags as the whole new trigger', async () => {
      const result = await sundial('schedule', 'update', 'nightly', '--every', '30m', '--tz', 'Europe/Berlin', '-o', 'json');
      expect(scheduleOf(result)).toMatchObject({ trigger: { every: '30m', timezone: 'Europe/Berlin' }, queue: 'reports' });
    });

    it('changes one retry setting and keeps the others', async () => {
      const result = await sundial('schedule', 'update', 'nightly', '--retry-delay', '5s', '-o', 'json');
      expect(scheduleOf(result).retry).toEqual({ attempts: 3, backoff: 'exponential', delay: 5_000 });
    });

    it('replaces all labels with those given', async () => {
      expect(scheduleOf(await sundial('schedule', 'update', 'nightly', '--label', 'env=prod', '-o', 'json')).labels).toEqual({ env: 'prod' });
    });

    it.each<[string, string[], string]>([
      ['no flags', [], 'sundial: nothing to change'],
      ['a bad trigger', ['--cron', '0 25 * * *'], 'sundial: trigger.cron: '],
      ['a bad timeout', ['--timeout', '0s'], 'sundial: --timeout: '],
      ['a zone without a trigger kind', ['--tz', 'Europe/Berlin'], 'sundial: trigger: '],
    ])('rejects %s with exit 2 and changes nothing', async (_name, flags, message) => {
      const before = await sundial('schedule', 'get', 'nightly', '-o', 'json');
      const result = await sundial('schedule', 'update', 'nightly', ...flags);
      expect(result.exitCode).toBe(ExitCode.INVALID_INPUT);
      expect(result.stderr.startsWith(message)).toBe(true);
      expect(await sundial('schedule', 'get', 'nightly', '-o', 'json')).toEqual(before);
    });
  });

  describe('pause, resume, trigger, backfill and remove', () => {
    beforeEach(async () => {
      await sundial('schedule', 'add', 'hourly', '--task', 'sync', '--every', '1h', '--start', '2026-01-01T00:00:00Z');
    });

    it('pauses and resumes', async () => {
      const paused = scheduleOf(await sundial('schedule', 'pause', 'hourly', '-o', 'json'));
      expect(paused.state.paused).toBe(true);
      expect((await sundial('schedule', 'get', 'hourly')).stdout).toContain('state:           paused\n');
      expect(scheduleOf(await sundial('schedule', 'pause', 'hourly', '-o', 'json')).state.paused).toBe(true);
      const resumed = scheduleOf(await sundial('schedule', 'resume', 'hourly', '--catch-up', 'policy', '-o', 'json'));
      expect(resumed.state.paused).toBe(false);
      expect(resumed.state.nextFireTime).not.toBeNull();
    });

    it('rejects an unknown --catch-up', async () => {
      await sundial('schedule', 'pause', 'hourly');
      const result = await sundial('schedule', 'resume', 'hourly', '--catch-up', 'all');
      expect(result.exitCode).toBe(ExitCode.INVALID_INPUT);
      expect(result.stderr).toBe('sundial: --catch-up: expected "none", "policy", got "all"\n');
    });

    it('prints the run id of a trigger', async () => {
      const table = await sundial('schedule', 'trigger', 'hourly');
      expect(table.exitCode).toBe(ExitCode.OK);
      expect(table.stdout).toMatch(/^hourly@now-\d+\n$/);
      const json = JSON.parse((await sundial('schedule', 'trigger', 'hourly', '--force', '-o', 'json')).stdout) as { runId: string };
      expect(json.runId).toMatch(/^hourly@now-\d+$/);
    });

    it("prints the run ids of a backfill, reading times without an offset in the trigger's zone", async () => {
      const table = await sundial('schedule', 'backfill', 'hourly', '--from', '2026-01-01T00:00:00Z', '--to', '2026-01-01T02:00');
      expect(table).toEqual({
        exitCode: ExitCode.OK,
        stdout: ['hourly@backfill-1767225600000', 'hourly@backfill-1767229200000', 'hourly@backfill-1767232800000', ''].join('\n'),
        stderr: '',
      });
      const json = await sundial('schedule', 'backfill', 'hourly', '--from', '2026-01-01T00:30:00Z', '--to', '2026-01-01T01:30:00Z', '-o', 'json');
      expect(JSON.parse(json.stdout)).toEqual({ runIds: ['hourly@backfill-1767229200000'] });
      const none = await sundial('schedule', 'backfill', 'hourly', '--from', '2026-01-01T00:10:00Z', '--to', '2026-01-01T00:20:00Z');
      expect(none.stdout).toBe('no fire times from 2026-01-01T00:10:00.000Z to 2026-01-01T00:20:00.000Z\n');
    });

    it.each<[string, string[], string]>([
      ['a range past the limit', ['--from', '2026-01-01T00:00:00Z', '--to', '2026-01-02T00:00:00Z', '--limit', '3'], '--to'],
      ['a range that ends before it starts', ['--from', '2026-01-02T00:00:00Z', '--to', '2026-01-01T00:00:00Z'], '--to'],
      ['a --from that is not a time', ['--from', 'yesterday', '--to', '2026-01-01T00:00:00Z'], '--from'],
      ['a limit of 0', ['--from', '2026-01-01T00:00:00Z', '--to', '2026-01-01T01:00:00Z', '--limit', '0'], '--limit'],
    ])('rejects a backfill with %s, naming the flag', async (_name, flags, field) => {
      const result = await sundial('schedule', 'backfill', 'hourly', ...flags);
      expect(result.exitCode).toBe(ExitCode.INVALID_INPUT);
      expect(result.stderr.startsWith(`sundial: ${field}: `)).toBe(true);
    });

    it('removes a schedule', async () => {
      expect(await sundial('schedule', 'remove', 'hourly')).toEqual({ exitCode: ExitCode.OK, stdout: 'removed schedule "hourly"\n', stderr: '' });
      expect((await sundial('schedule', 'get', 'hourly')).exitCode).toBe(ExitCode.NOT_FOUND);
      await sundial('schedule', 'add', 'again', '--task', 'sync', '--every', '1h');
      expect(JSON.parse((await sundial('schedule', 'remove', 'again', '-o', 'json')).stdout)).toEqual({ id: 'again', removed: true });
    });
  });

  it.each<[string, string[]]>([
    ['get', ['get', 'nope']],
    ['update', ['update', 'nope', '--queue', 'q']],
    ['pause', ['pause', 'nope']],
    ['resume', ['resume', 'nope']],
    ['trigger', ['trigger', 'nope']],
    ['backfill', ['backfill', 'nope', '--from', '2026-01-01T00:00:00Z', '--to', '2026-01-02T00:00:00Z']],
    ['remove', ['remove', 'nope']],
  ])('%s of an unknown schedule exits 3 with one line', async (_name, args) => {
    expect(await sundial('schedule', ...args)).toEqual({ exitCode: ExitCode.NOT_FOUND, stdout: '', stderr: 'sundial: schedule "nope" not found\n' });
  });

  describe('connection', () => {
    it('takes --namespace over SUNDIAL_NAMESPACE', async () => {
      const other = uniqueNamespace('cli-other');
      extraNamespaces.push(other);
      await sundial('--namespace', other, 'schedule', 'add', 'nightly', '--task', 'report', '--every', '1h');
      expect((await sundial('schedule', 'get', 'nightly')).exitCode).toBe(ExitCode.NOT_FOUND);
      expect((await sundial('schedule', 'get', 'nightly', '--namespace', other)).exitCode).toBe(ExitCode.OK);
    });

    it('fails with one line and exit 1 when Redis is unreachable', async () => {
      const port = await findFreePort();
      const result = await sundial('--redis-url', `redis://127.0.0.1:${port}`, 'schedule', 'list');
      expect(result.exitCode).toBe(ExitCode.UNEXPECTED);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(new RegExp(`^sundial: could not connect to Redis at redis://127\\.0\\.0\\.1:${port}: [^\\n]+\\n$`));
    });

    it('rejects a bad namespace with exit 2 before connecting', async () => {
      expect(await runCli({ SUNDIAL_NAMESPACE: 'a b', REDIS_URL: 'redis://127.0.0.1:1' }, 'schedule', 'list')).toEqual({
        exitCode: ExitCode.INVALID_INPUT,
        stdout: '',
        stderr: 'sundial: SUNDIAL_NAMESPACE: expected 1-64 letters, digits or . _ - starting with a letter or digit, got "a b"\n',
      });
    });
  });
});
