import { ConflictError, InvalidTriggerError, SundialClient, ValidationError, type ScheduleInput } from '@sundial/shared';
import { Redis } from 'ioredis';
import { leaderFixture, type LeaderFixture } from '../helpers/leader-fixture';
import { rejectionOf } from '../support/errors';
import { deleteNamespace, testRedisUrl, uniqueNamespace } from '../support/namespace';
import { closeClient } from '../support/redis-client';

const HOUR = 3_600_000;

function hourly(count: number, prefix = 's', extra: Partial<ScheduleInput> = {}): ScheduleInput[] {
  return Array.from({ length: count }, (_, index) => ({ id: `${prefix}-${index}`, task: 'report', trigger: { every: '1h' }, ...extra }));
}

describe('SundialClient.addMany', () => {
  let redis: Redis;
  let client: SundialClient;
  let namespace: string;

  beforeEach(() => {
    namespace = uniqueNamespace('bulk');
    redis = new Redis(testRedisUrl());
    client = new SundialClient({ connection: redis, namespace });
  });

  afterEach(async () => {
    await client.close();
    await deleteNamespace(redis, namespace);
    await closeClient(redis);
  });

  it('creates every schedule as add does, and counts the outcomes per id', async () => {
    const result = await client.addMany(hourly(2_500), { batchSize: 1_000 });
    expect(result).toMatchObject({ created: 2_500, replaced: 0, kept: 0 });
    expect(result.outcomes.size).toBe(2_500);
    expect(result.outcomes.get('s-1234')).toBe('created');
    expect(await redis.zcard(client.keys.ids)).toBe(2_500);
    expect(await redis.zcard(client.keys.due)).toBe(2_500);

    const bulk = await client.get('s-7');
    await client.add({ id: 'single', task: 'report', trigger: { every: '1h' } });
    const single = await client.get('single');
    expect({ ...bulk, id: 'x', state: undefined }).toEqual({ ...single, id: 'x', state: undefined });
    expect(Date.parse(bulk.state.nextFireTime as string)).toBeGreaterThan(Date.parse(bulk.state.createdAt as string));
    expect(await redis.xlen(client.keys.events)).toBe(2_501);
    expect((await client.events.recent(['schedule.added'], { limit: 2 })).map((event) => event.scheduleId)).toEqual(['s-2499', 'single']);
  });

  it('tells the coordinator once per batch, while add still tells it once per schedule', async () => {
    const subscriber = new Redis(testRedisUrl());
    const notices: string[] = [];
    subscriber.on('message', (_channel: string, message: string) => notices.push(message));
    await subscriber.subscribe(client.keys.changesChannel);
    try {
      await client.addMany(hourly(250), { batchSize: 100 });
      await client.add({ id: 'one', task: 'report', trigger: { every: '1h' } });
      await redis.publish(client.keys.changesChannel, 'end');
      for (let waited = 0; !notices.includes('end') && waited < 5_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(notices.slice(0, 3).sort()).toEqual(['s-199', 's-249', 's-99']);
      expect(notices.slice(3)).toEqual(['one', 'end']);
    } finally {
      await closeClient(subscriber);
    }
  });

  it('applies the conflict policies', async () => {
    await client.add({ id: 's-1', task: 'old', trigger: { every: '1h' } });

    const error = await rejectionOf(client.addMany(hourly(3)));
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).id).toBe('s-1');
    expect(await redis.zrange(client.keys.ids, 0, -1)).toEqual(['s-1']);

    const kept = await client.addMany(hourly(3), { onConflict: 'keep' });
    expect(kept).toMatchObject({ created: 2, kept: 1, replaced: 0 });
    expect(kept.outcomes.get('s-1')).toBe('kept');
    expect((await client.get('s-1')).task).toBe('old');

    const replaced = await client.addMany(hourly(4, 's', { task: 'new' }), { onConflict: 'replace' });
    expect(replaced).toMatchObject({ created: 1, kept: 0, replaced: 3 });
    expect([...replaced.outcomes]).toEqual([
      ['s-3', 'created'],
      ['s-0', 'replaced'],
      ['s-1', 'replaced'],
      ['s-2', 'replaced'],
    ]);
    expect((await client.get('s-1')).task).toBe('new');
    expect((await client.get('s-1')).state.version).toBe(2);
  });

  it('keeps each outcome with its schedule across the script calls of a batch', async () => {
    const existing = hourly(250).filter((_, index) => index % 7 === 3);
    for (const input of existing) await client.add({ ...input, task: 'old' });
    const result = await client.addMany(hourly(250), { onConflict: 'keep', batchSize: 1_000 });
    expect(result).toMatchObject({ created: 250 - existing.length, kept: existing.length });
    const kept = [...result.outcomes].filter(([, outcome]) => outcome === 'kept').map(([id]) => id);
    expect(kept.sort()).toEqual(existing.map((input) => input.id).sort());
    expect((await client.get('s-241')).task).toBe('old');
    expect((await client.get('s-242')).task).toBe('report');
  });

  it('writes paused and finished schedules as add does', async () => {
    const inputs = [
      { id: 'paused', task: 'report', trigger: { every: '1h' }, paused: true },
      { id: 'done', task: 'report', trigger: { at: '2001-01-01T00:00:00Z' } },
    ];
    await client.addMany(inputs);
    for (const input of inputs) await client.add({ ...input, id: `${input.id}-single` });
    for (const { id } of inputs) {
      const [bulk, single] = [await client.get(id), await client.get(`${id}-single`)];
      expect({ ...bulk, id: 'x', state: { ...bulk.state, createdAt: 0, updatedAt: 0, pausedAt: bulk.state.pausedAt ? 1 : 0 } }).toEqual({
        ...single,
        id: 'x',
        state: { ...single.state, createdAt: 0, updatedAt: 0, pausedAt: single.state.pausedAt ? 1 : 0 },
      });
    }
    expect(await redis.smembers(`${client.keys.base}:paused`)).toEqual(expect.arrayContaining(['paused', 'paused-single']));
    expect(await redis.zscore(client.keys.due, 'paused')).toBeNull();
    expect(await redis.zscore(client.keys.due, 'done')).toBeNull();
  });

  it.each([
    ['a bad cron field', { id: 'bad', task: 't', trigger: { cron: '61 * * * *' } }, 'schedules[17].trigger.cron', InvalidTriggerError],
    ['a missing task', { id: 'bad', trigger: { every: '1m' } }, 'schedules[17].task', ValidationError],
    ['a duplicate id', { id: 's-3', task: 't', trigger: { every: '1m' } }, 'schedules[17].id', ValidationError],
  ])('rejects %s naming the entry, and writes nothing', async (_name, bad, field, ErrorClass) => {
    const inputs: unknown[] = hourly(30);
    inputs[17] = bad;
    const error = await rejectionOf(client.addMany(inputs, { batchSize: 5 }));
    expect(error).toBeInstanceOf(ErrorClass);
    expect((error as ValidationError).field).toBe(field);
    expect(await redis.exists(client.keys.ids, client.keys.due, client.keys.events)).toBe(0);
  });

  it.each([
    ['schedules', 'not a list', {}],
    ['batchSize', [], { batchSize: 0 }],
    ['onConflict', [], { onConflict: 'skip' }],
  ])('rejects a bad %s', async (field, inputs, options) => {
    const error = await rejectionOf(client.addMany(inputs as unknown[], options as object));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe(field);
  });

  it('warns once per task no live worker serves, and once for finished triggers', async () => {
    const inputs = [
      ...hourly(3, 'a'),
      ...hourly(2, 'b', { task: 'mail' }),
      ...Array.from({ length: 7 }, (_, index) => ({ id: `past-${index}`, task: 'mail', trigger: { at: '2001-01-01T00:00:00Z' } })),
    ];
    const { warnings } = await client.addMany(inputs);
    expect(warnings).toEqual([
      'no live worker serves task "report" yet; its runs wait in the queue until one does',
      'no live worker serves task "mail" yet; its runs wait in the queue until one does',
      '7 schedule(s) have a trigger with no fire time after now ("past-0", "past-1", "past-2", "past-3", "past-4", and 2 more); they are finished and will never fire',
    ]);
  });

  it('adds nothing for an empty list', async () => {
    expect(await client.addMany([])).toMatchObject({ created: 0, replaced: 0, kept: 0, warnings: [] });
    expect(await redis.exists(client.keys.ids)).toBe(0);
  });
});

describe('schedules added in bulk', () => {
  let f: LeaderFixture;

  beforeEach(async () => {
    f = await leaderFixture();
  });

  afterEach(async () => {
    await f.close();
  });

  it('fire like any other', async () => {
    const start = new Date(Math.ceil((f.clock.nowMs + HOUR) / HOUR) * HOUR).toISOString();
    const inputs = Array.from({ length: 150 }, (_, index) => ({ id: `job-${index}`, task: 'work', trigger: { every: '1h', start } }));
    await f.client.addMany(inputs, { batchSize: 40 });
    const first = Date.parse(start);
    f.clock.nowMs = first - 1;
    expect((await f.loop.tick(f.lease)).enqueued).toBe(0);
    f.clock.nowMs = first;
    expect((await f.loop.tick(f.lease)).enqueued).toBe(150);
    const runs = await f.client.listRuns({ limit: 200 });
    expect(runs.map((run) => run.runId).sort()).toEqual(inputs.map((input) => `${input.id}@${first}`).sort());
  });
});
