import { Redis } from 'ioredis';
import { SundialClient, ValidationError, namespaceKeys, type SundialEvent, type SundialEventType } from '@sundial/shared';
import { waitFor } from '../helpers/worker-fixture';
import { thrownBy } from '../support/errors';
import { deleteNamespace, testRedisUrl, uniqueNamespace } from '../support/namespace';
import { closeClient } from '../support/redis-client';
import { startRedisServer } from '../support/redis-server';

jest.setTimeout(60_000);

/** Collects what a subscription delivers. */
function collector(): { events: SundialEvent[]; handler: (event: SundialEvent) => void; types: () => string[] } {
  const events: SundialEvent[] = [];
  return { events, handler: (event) => void events.push(event), types: () => events.map((event) => `${event.type} ${event.scheduleId ?? ''}`.trim()) };
}

describe('the event stream (real Redis)', () => {
  let redis: Redis;
  let namespace: string;
  let client: SundialClient;

  beforeEach(() => {
    redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: null });
    namespace = uniqueNamespace('events');
    client = new SundialClient({ connection: redis, namespace });
  });

  afterEach(async () => {
    await client.close();
    await deleteNamespace(redis, namespace);
    await closeClient(redis);
  });

  it('records schedule changes with the documented types, and nothing when an add keeps the schedule', async () => {
    await client.add({ id: 'a', task: 'report', trigger: { every: '1h' } });
    await client.add({ id: 'a', task: 'report', trigger: { every: '1h' } }, { onConflict: 'keep' });
    await client.update('a', { data: { n: 1 } });
    await client.pause('a');
    await client.resume('a');
    await client.remove('a');
    const events = await client.events.recent('*');
    expect(events.map((event) => event.type)).toEqual(['schedule.added', 'schedule.updated', 'schedule.paused', 'schedule.resumed', 'schedule.removed']);
    expect(events[0]).toMatchObject({ scheduleId: 'a', task: 'report' });
    expect(events[1]).toMatchObject({ scheduleId: 'a', task: 'report' });
    expect(events[0]?.id).toMatch(/^\d+-\d+$/);
    expect(events[0]).not.toHaveProperty('count');
  });

  it('delivers events from now on, in order, of the types asked for', async () => {
    await client.add({ id: 'before', task: 't', trigger: { every: '1h' } });
    const seen = collector();
    const subscription = client.events.subscribe(['schedule.added', 'schedule.removed'], seen.handler);
    await client.add({ id: 'one', task: 't', trigger: { every: '1h' } });
    await client.pause('one');
    await client.add({ id: 'two', task: 't', trigger: { every: '1h' } });
    await client.remove('one');
    await waitFor('three events', () => (seen.events.length >= 3 ? true : undefined));
    expect(seen.types()).toEqual(['schedule.added one', 'schedule.added two', 'schedule.removed one']);
    expect(subscription.lastId()).toBe(seen.events[2]?.id);
    await subscription.close();
    await subscription.done;
  });

  it('delivers the whole stream from start, and the events after an id', async () => {
    for (const id of ['a', 'b', 'c']) await client.add({ id, task: 't', trigger: { every: '1h' } });
    const all = collector();
    const fromStart = client.events.subscribe('*', all.handler, { from: 'start' });
    await waitFor('three events', () => (all.events.length === 3 ? true : undefined));
    await fromStart.close();
    expect(all.types()).toEqual(['schedule.added a', 'schedule.added b', 'schedule.added c']);

    const after = collector();
    const fromId = client.events.subscribe([], after.handler, { from: all.events[0]?.id });
    await waitFor('two events', () => (after.events.length === 2 ? true : undefined));
    await fromId.close();
    expect(after.types()).toEqual(['schedule.added b', 'schedule.added c']);
  });

  it('resumes after a restart from the last id handled: nothing lost, nothing repeated', async () => {
    const first = collector();
    const subscription = client.events.subscribe('*', first.handler);
    for (const id of ['a', 'b']) await client.add({ id, task: 't', trigger: { every: '1h' } });
    await waitFor('two events', () => (first.events.length === 2 ? true : undefined));
    await subscription.close();
    const saved = subscription.lastId() as string;

    // While nobody listens, more happens.
    for (const id of ['c', 'd']) await client.add({ id, task: 't', trigger: { every: '1h' } });
    await client.close();
    client = new SundialClient({ connection: redis, namespace });
    const second = collector();
    const resumed = client.events.subscribe('*', second.handler, { from: saved });
    await client.add({ id: 'e', task: 't', trigger: { every: '1h' } });
    await waitFor('three events', () => (second.events.length === 3 ? true : undefined));
    await resumed.close();
    expect([...first.types(), ...second.types()]).toEqual(['a', 'b', 'c', 'd', 'e'].map((id) => `schedule.added ${id}`));
  });

  it('ends on abort and on close; a handler in progress finishes first', async () => {
    const controller = new AbortController();
    const seen = collector();
    const aborted = client.events.subscribe('*', seen.handler, { signal: controller.signal });
    controller.abort();
    await expect(aborted.done).resolves.toBeUndefined();

    let finished = false;
    let entered: () => void = () => undefined;
    const inHandler = new Promise<void>((resolve) => (entered = resolve));
    const slow = client.events.subscribe('*', async () => {
      entered();
      await new Promise((resolve) => setTimeout(resolve, 200));
      finished = true;
    });
    await client.add({ id: 'x', task: 't', trigger: { every: '1h' } });
    await inHandler;
    await slow.close();
    expect(finished).toBe(true);
    expect(slow.lastId()).toMatch(/^\d+-\d+$/);
  });

  it('ends with the error of a handler that throws, before the failed event', async () => {
    const boom = new Error('handler broke');
    const subscription = client.events.subscribe('*', () => {
      throw boom;
    });
    await (subscription as unknown as { ready: Promise<void> }).ready;
    const before = subscription.lastId();
    await client.add({ id: 'x', task: 't', trigger: { every: '1h' } });
    await expect(subscription.done).rejects.toBe(boom);
    expect(subscription.lastId()).toBe(before);
  });

  it('refuses unknown types, malformed ids and bad limits, naming the field', async () => {
    const handler = () => undefined;
    expect(thrownBy(() => client.events.subscribe(['run.exploded' as SundialEventType], handler))).toMatchObject({ field: 'types' });
    expect(thrownBy(() => client.events.subscribe('*', handler, { from: 'yesterday' }))).toMatchObject({ field: 'from' });
    expect(thrownBy(() => client.events.subscribe('*', handler, { from: '$' }))).toBeInstanceOf(ValidationError);
    await expect(client.events.recent(['schedule.created' as SundialEventType])).rejects.toMatchObject({ field: 'types' });
    await expect(client.events.recent('*', { limit: 0 })).rejects.toMatchObject({ field: 'limit' });
  });

  it('lists the newest events of the given types, oldest first', async () => {
    for (const id of ['a', 'b', 'c', 'd']) {
      await client.add({ id, task: 't', trigger: { every: '1h' } });
      await client.pause(id);
    }
    const paused = await client.events.recent(['schedule.paused'], { limit: 3 });
    expect(paused.map((event) => event.scheduleId)).toEqual(['b', 'c', 'd']);
    expect((await client.events.recent('*', { limit: 2 })).map((event) => `${event.type} ${event.scheduleId}`)).toEqual(['schedule.added d', 'schedule.paused d']);
  });

  it('skips entries of unknown types and says when events after the id given were trimmed', async () => {
    const keys = namespaceKeys(namespace);
    const oldId = await redis.xadd(keys.events, '*', 'type', 'schedule.added', 'scheduleId', 'old', 'time', '1');
    await redis.xadd(keys.events, '*', 'type', 'schedule.finished', 'scheduleId', 'old', 'time', '2');
    await redis.xadd(keys.events, '*', 'type', 'schedule.removed', 'scheduleId', 'old', 'time', '3');
    await redis.xtrim(keys.events, 'MAXLEN', 1);
    const gaps: { after: string; firstId: string }[] = [];
    const seen = collector();
    const subscription = client.events.subscribe('*', seen.handler, { from: oldId as string, onTrimmed: (gap) => void gaps.push(gap) });
    await waitFor('the event kept', () => (seen.events.length === 1 ? true : undefined));
    await subscription.close();
    expect(seen.types()).toEqual(['schedule.removed old']);
    expect(gaps).toEqual([{ after: oldId, firstId: seen.events[0]?.id }]);
  });
});

describe('a subscription across a Redis restart', () => {
  it('reconnects and goes on after the last event delivered', async () => {
    const server = await startRedisServer({ appendonly: true, appendfsync: 'always' });
    const redis = new Redis(server.url, { maxRetriesPerRequest: null });
    redis.on('error', () => undefined);
    const client = new SundialClient({ connection: redis, namespace: 'restart' });
    try {
      const seen = collector();
      const subscription = client.events.subscribe(['schedule.added'], seen.handler);
      await client.add({ id: 'before', task: 't', trigger: { every: '1h' } });
      await waitFor('the first event', () => (seen.events.length === 1 ? true : undefined));

      await server.restart();
      await client.add({ id: 'after', task: 't', trigger: { every: '1h' } });
      await waitFor('the event after the restart', () => (seen.events.length === 2 ? true : undefined), 30_000);
      expect(seen.types()).toEqual(['schedule.added before', 'schedule.added after']);
      await subscription.close();
    } finally {
      await client.close();
      await closeClient(redis);
      await server.stop();
    }
  });
});
