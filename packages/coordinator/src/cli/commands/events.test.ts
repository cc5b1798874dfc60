import { ExitCode, SundialClient, connectRedis, type SundialEvent } from '@sundial/shared';
import type { Redis } from 'ioredis';
import { parse as parseYaml } from 'yaml';
import { runCli, startCli } from '../../../../../test/helpers/cli';
import { waitFor } from '../../../../../test/helpers/worker-fixture';
import { deleteNamespace, testRedisUrl, uniqueNamespace } from '../../../../../test/support/namespace';
import { closeClient } from '../../../../../test/support/redis-client';

jest.setTimeout(30_000);

describe('sundial events (in process, real Redis)', () => {
  let admin: Redis;
  let namespace: string;
  let env: Record<string, string>;
  let client: SundialClient;

  const sundial = (...args: string[]) => runCli(env, ...args);
  const add = (id: string) => client.add({ id, task: 'report', trigger: { every: '1h' } });

  beforeAll(async () => {
    admin = await connectRedis(testRedisUrl(), { connectionName: 'sundial:test-admin' });
  });

  afterAll(async () => {
    await closeClient(admin);
  });

  beforeEach(() => {
    namespace = uniqueNamespace('cli-events');
    env = { REDIS_URL: testRedisUrl(), SUNDIAL_NAMESPACE: namespace, TZ: 'UTC' };
    client = new SundialClient({ connection: admin, namespace });
  });

  afterEach(async () => {
    await client.close();
    await deleteNamespace(admin, namespace);
  });

  it('tail -o json prints one JSON object per event of the types asked for, until SIGINT', async () => {
    await add('before');
    const tail = startCli(env, 'events', 'tail', '--type', 'schedule.added,schedule.removed', '--type', 'schedule.paused', '-o', 'json');
    // The subscription starts at "now": wait until it is reading before anything happens.
    await waitFor('the subscription to read', async () => ((await admin.client('LIST')) as string).includes('name=sundial:events') || undefined);
    await add('a');
    await client.update('a', { data: { n: 1 } });
    await client.pause('a');
    await client.remove('a');
    await waitFor('the tail to print three events', () => (tail.stdout().trimEnd().split('\n').length >= 3 ? true : undefined));
    tail.signal('SIGINT');
    const result = await tail.done;
    expect(result).toMatchObject({ exitCode: ExitCode.OK, stderr: '' });
    const events = result.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as SundialEvent);
    expect(events.map((event) => `${event.type} ${event.scheduleId}`)).toEqual(['schedule.added a', 'schedule.paused a', 'schedule.removed a']);
    expect(events[0]).toMatchObject({ task: 'report', time: expect.stringMatching(/Z$/), id: expect.stringMatching(/^\d+-\d+$/) });
  });

  it('tail --from start -o table prints a header and one aligned line per event', async () => {
    await add('a');
    await client.pause('a');
    const tail = startCli(env, 'events', 'tail', '--from', 'start');
    await waitFor('the tail to print both events', () => (tail.stdout().includes('schedule.paused') ? true : undefined));
    tail.signal('SIGTERM');
    const { exitCode, stdout } = await tail.done;
    expect(exitCode).toBe(ExitCode.OK);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^TIME\s+TYPE\s+SCHEDULE\s+RUN\s+NOTE$/);
    expect(lines[1]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+00:00 {2}schedule\.added {4}a {21}- {31}task report$/);
    expect(lines[2]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+00:00 {2}schedule\.paused {3}a /);
    expect(lines).toHaveLength(3);
  });

  it('tail --from ID prints only the events after it', async () => {
    await add('a');
    await add('b');
    const [first] = await client.events.recent('*');
    const tail = startCli(env, 'events', 'tail', '--from', first?.id as string, '-o', 'yaml');
    await waitFor('the tail to print the event of b', () => (tail.stdout().includes('scheduleId: b') ? true : undefined));
    tail.signal('SIGINT');
    const { stdout } = await tail.done;
    const documents = stdout.split(/^---\n/m).filter((text) => text.trim() !== '').map((text) => parseYaml(text) as SundialEvent);
    expect(documents.map((event) => event.scheduleId)).toEqual(['b']);
  });

  it('list prints the newest events, oldest first, in each format', async () => {
    for (const id of ['a', 'b', 'c']) await add(id);
    await client.pause('c');
    const json = await sundial('events', 'list', '--type', 'schedule.added', '--limit', '2', '-o', 'json');
    expect(json).toMatchObject({ exitCode: ExitCode.OK, stderr: '' });
    expect((JSON.parse(json.stdout) as SundialEvent[]).map((event) => event.scheduleId)).toEqual(['b', 'c']);
    const table = await sundial('events', 'list');
    expect(table.stdout.split('\n')[0]).toMatch(/^TIME\s+TYPE\s+SCHEDULE\s+RUN\s+NOTE$/);
    expect(table.stdout.trimEnd().split('\n')).toHaveLength(5);
    const yaml = await sundial('events', 'list', '-o', 'yaml', '--limit', '1');
    expect(parseYaml(yaml.stdout)).toMatchObject([{ type: 'schedule.paused', scheduleId: 'c' }]);
    expect((await sundial('events', 'list', '--type', 'leader.elected')).stdout).toBe('no events\n');
  });

  it.each([
    [['events', 'tail', '--type', 'schedule.created'], /^sundial: --type: unknown event type "schedule\.created"; expected one of schedule\.added, .*\n$/],
    [['events', 'list', '--type', 'run.failed,nope'], /^sundial: --type: unknown event type "nope"; .*\n$/],
    [['events', 'tail', '--from', 'yesterday'], /^sundial: --from: expected "now", "start" or an event id .*\n$/],
    [['events', 'list', '--limit', '0'], /^sundial: --limit: expected a whole number from 1 to 1000, got "0"\n$/],
    [['events', 'list', '-o', 'xml'], /^sundial: -o: expected one of json, yaml, table, got "xml"\n$/],
  ])('refuses bad input: %j', async (args, message) => {
    const result = await sundial(...args);
    expect(result.exitCode).toBe(ExitCode.INVALID_INPUT);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
  });
});
