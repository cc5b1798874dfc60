import { ConflictError, InvalidTriggerError, NotFoundError, SundialClient, ValidationError, redisTimeMs } from '@sundial/shared';
import { Redis } from 'ioredis';
import { closeClient } from '../support/redis-client';
import { rejectionOf } from '../support/errors';
import { deleteNamespace, testRedisUrl, uniqueNamespace } from '../support/namespace';

let redis: Redis;
let client: SundialClient;
let namespace: string;

beforeEach(async () => {
  namespace = uniqueNamespace('client');
  redis = new Redis(testRedisUrl());
  client = new SundialClient({ connection: redis, namespace, maxDataBytes: 1_024 });
});

afterEach(async () => {
  await client.close();
  await deleteNamespace(redis, namespace);
  await closeClient(redis);
});

describe('SundialClient', () => {
  it('adds a schedule with defaults and its first fire time after now', async () => {
    const before = await redisTimeMs(redis);
    const { schedule, outcome, warnings } = await client.add({ id: 'nightly', task: 'report', trigger: { cron: '0 2 * * *', timezone: 'Europe/Berlin' } });
    expect(outcome).toBe('created');
    expect(warnings).toEqual(['no live worker serves task "report" yet; its runs wait in the queue until one does']);
    expect(schedule).toMatchObject({ id: 'nightly', task: 'report', data: {}, queue: 'default', misfireGrace: null, coalesce: 'latest', overlap: 'skip', maxInstances: 1, labels: {} });
    expect(Date.parse(schedule.state.nextFireTime as string)).toBeGreaterThan(before);
    expect(new Date(schedule.state.nextFireTime as string).getUTCMinutes()).toBe(0);
  });

  it('keeps data exactly, empty arrays and nesting included', async () => {
    const data = { items: [], nested: { list: [1, [], {}], text: 'é' }, n: 1.5 };
    await client.add({ id: 'data', task: 't', trigger: { every: '1h' }, data });
    expect((await client.get('data')).data).toEqual(data);
  });

  it('applies the conflict policy', async () => {
    await client.add({ id: 'dup', task: 'a', trigger: { every: '1h' } });
    const error = await rejectionOf(client.add({ id: 'dup', task: 'b', trigger: { every: '1h' } }));
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).code).toBe('CONFLICT');
    expect((await client.get('dup')).task).toBe('a');
    expect((await client.add({ id: 'dup', task: 'b', trigger: { every: '1h' } }, { onConflict: 'keep' })).outcome).toBe('kept');
    expect((await client.get('dup')).task).toBe('a');
    expect((await client.add({ id: 'dup', task: 'b', trigger: { every: '1h' } }, { onConflict: 'replace' })).outcome).toBe('replaced');
    expect((await client.get('dup')).task).toBe('b');
  });

  it.each([
    ['bad cron field', { id: 'x', task: 't', trigger: { cron: '61 * * * *' } }, 'trigger.cron', InvalidTriggerError],
    ['bad zone', { id: 'x', task: 't', trigger: { cron: '* * * * *', timezone: 'Nowhere' } }, 'trigger.timezone', InvalidTriggerError],
    ['bad nested member', { id: 'x', task: 't', trigger: { or: [{ every: '1m' }, { every: '-1m' }] } }, 'trigger.or[1].every', InvalidTriggerError],
    ['no trigger kind', { id: 'x', task: 't', trigger: {} }, 'trigger', InvalidTriggerError],
    ['bad id', { id: 'has space', task: 't', trigger: { every: '1m' } }, 'id', ValidationError],
    ['id with a colon', { id: 'a:b', task: 't', trigger: { every: '1m' } }, 'id', ValidationError],
    ['missing task', { id: 'x', trigger: { every: '1m' } }, 'task', ValidationError],
    ['bad overlap', { id: 'x', task: 't', trigger: { every: '1m' }, overlap: 'sometimes' }, 'overlap', ValidationError],
    ['bad grace', { id: 'x', task: 't', trigger: { every: '1m' }, misfireGrace: 'soon' }, 'misfireGrace', ValidationError],
    ['bad max instances', { id: 'x', task: 't', trigger: { every: '1m' }, maxInstances: 0 }, 'maxInstances', ValidationError],
    ['bad retry', { id: 'x', task: 't', trigger: { every: '1m' }, retry: { attempts: 0 } }, 'retry.attempts', ValidationError],
    ['bad label', { id: 'x', task: 't', trigger: { every: '1m' }, labels: { team: 5 } }, 'labels.team', ValidationError],
    ['unknown field', { id: 'x', task: 't', trigger: { every: '1m' }, cron: '* * * * *' }, 'cron', ValidationError],
    ['oversized data', { id: 'x', task: 't', trigger: { every: '1m' }, data: { blob: 'x'.repeat(2_000) } }, 'data', ValidationError],
  ])('rejects %s naming the field, and writes nothing', async (_name, input, field, ErrorClass) => {
    const error = await rejectionOf(client.add(input));
    expect(error).toBeInstanceOf(ErrorClass);
    expect((error as ValidationError).field).toBe(field);
    expect(await redis.exists(client.keys.ids)).toBe(0);
  });

  it('reports the data limit in the error', async () => {
    const error = await rejectionOf(client.add({ id: 'x', task: 't', trigger: { every: '1m' }, data: { blob: 'x'.repeat(2_000) } }));
    expect(error.message).toMatch(/^data: is \d+ bytes of JSON; the limit is 1024 bytes$/);
  });

  it('gives NotFoundError for unknown ids', async () => {
    const actions = [() => client.get('ghost'), () => client.pause('ghost'), () => client.resume('ghost'), () => client.remove('ghost'), () => client.trigger('ghost'), () => client.update('ghost', { task: 'x' })];
    for (const action of actions) {
      const error = await rejectionOf(action());
      expect(error).toBeInstanceOf(NotFoundError);
      expect((error as NotFoundError).code).toBe('NOT_FOUND');
    }
  });

  it('lists with filters and pages', async () => {
    for (let i = 0; i < 7; i++) {
      await client.add({ id: `s${i}`, task: i % 2 === 0 ? 'even' : 'odd', trigger: { every: '1h' }, queue: i < 3 ? 'fast' : 'default', labels: { team: i < 5 ? 'a' : 'b' } });
    }
    await client.pause('s0');
    expect((await client.list({ task: 'even' })).schedules.map((s) => s.id)).toEqual(['s0', 's2', 's4', 's6']);
    expect((await client.list({ queue: 'fast', state: 'active' })).schedules.map((s) => s.id)).toEqual(['s1', 's2']);
    expect((await client.list({ labels: { team: 'b' } })).schedules.map((s) => s.id)).toEqual(['s5', 's6']);
    const pages: string[][] = [];
    let cursor: string | undefined;
    do {
      const page = await client.list({ limit: 3, ...(cursor ? { cursor } : {}) });
      pages.push(page.schedules.map((s) => s.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(pages).toEqual([['s0', 's1', 's2'], ['s3', 's4', 's5'], ['s6']]);
  });

  it('updates only the given fields; a new trigger takes effect from now', async () => {
    await client.add({ id: 'u', task: 't', trigger: { cron: '0 0 1 1 *' }, data: { a: 1 }, labels: { k: 'v' } });
    const updated = await client.update('u', { data: { a: 2 }, trigger: { every: '1m' } });
    expect(updated).toMatchObject({ task: 't', data: { a: 2 }, labels: { k: 'v' }, trigger: { every: '1m' } });
    expect(Date.parse(updated.state.nextFireTime as string) - (await redisTimeMs(redis))).toBeLessThanOrEqual(60_000);
    expect(updated.state.version).toBe(2);
    const error = await rejectionOf(client.update('u', { maxInstances: -1 }));
    expect((error as ValidationError).field).toBe('maxInstances');
    expect((await client.get('u')).state.version).toBe(2);
  });

  it('replace swaps the whole definition: fields not given return to their defaults', async () => {
    await client.add({ id: 'r', task: 't', trigger: { cron: '0 0 1 1 *' }, retry: { attempts: 3 }, labels: { a: 'b' }, paused: true });
    const { schedule } = await client.add({ id: 'r', task: 'u', trigger: { every: '1h' } }, { onConflict: 'replace' });
    expect(schedule).toMatchObject({ task: 'u', trigger: { every: '1h' }, labels: {} });
    expect(schedule.retry).toBeUndefined();
    expect(schedule.state.paused).toBe(false);
    expect(schedule.state.lastFireTime).toBeNull();
  });

  it('rejects paused in update, which pause and resume own', async () => {
    await client.add({ id: 'p', task: 't', trigger: { every: '1h' } });
    const error = await rejectionOf(client.update('p', { paused: true } as never));
    expect((error as ValidationError).field).toBe('paused');
  });

  it('records every fire time passed while paused, however many', async () => {
    await client.add({ id: 'busy', task: 't', trigger: { every: '100ms' } });
    await client.pause('busy');
    await redis.hset(client.keys.schedule('busy'), 'last', String((await redisTimeMs(redis)) - 3 * 3_600_000));
    await client.resume('busy');
    const [range] = await client.listRuns({ scheduleId: 'busy' });
    expect(range).toMatchObject({ status: 'paused', reason: 'paused' });
    expect(range?.count).toBeGreaterThanOrEqual(108_000);
    expect((await client.get('busy')).state.pausedFires).toBe(range?.count);
  });

  it('removes a schedule with its history', async () => {
    await client.add({ id: 'gone', task: 't', trigger: { every: '1m' } });
    await client.pause('gone');
    await client.resume('gone');
    await client.remove('gone');
    await expect(client.get('gone')).rejects.toBeInstanceOf(NotFoundError);
    expect(await redis.zcard(client.keys.due)).toBe(0);
    expect(await client.listRuns({ scheduleId: 'gone' })).toEqual([]);
  });

  it('rejects a backfill range holding more fire times than the limit, naming the field', async () => {
    await client.add({ id: 'bf', task: 't', trigger: { every: '1s' } });
    const error = await rejectionOf(client.backfill('bf', { from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-01-01T01:00:00Z'), limit: 10 }));
    expect((error as ValidationError).field).toBe('to');
    expect(await redis.hlen(client.keys.requests)).toBe(0);
  });

  it('rejects an invalid namespace', () => {
    expect(() => new SundialClient({ connection: redis, namespace: 'a{b}' })).toThrow(/^namespace: /);
  });
});
