import { SundialClient, ValidationError, checkNamespaceGroupOptions, discoverNamespaces, followNamespaces } from '@sundial/shared';
import { Redis } from 'ioredis';
import { thrownBy } from '../support/errors';
import { deleteNamespace, testRedisUrl, uniqueNamespace } from '../support/namespace';
import { closeClient } from '../support/redis-client';

/** Finding namespaces in Redis and following new ones, as `--all-namespaces` does. */
describe('namespaces of a group', () => {
  let redis: Redis;
  const created: string[] = [];

  beforeEach(() => {
    redis = new Redis(testRedisUrl());
  });

  afterEach(async () => {
    for (const namespace of created.splice(0)) await deleteNamespace(redis, namespace);
    await closeClient(redis);
  });

  async function addScheduleIn(namespace: string): Promise<void> {
    created.push(namespace);
    const client = new SundialClient({ connection: redis, namespace });
    await client.add({ id: 'tick', task: 'tick', trigger: { every: '1h' } });
    await client.close();
  }

  async function until(predicate: () => boolean): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error('timed out');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  it('finds the namespaces that hold schedules', async () => {
    const [a, b] = [uniqueNamespace('found'), uniqueNamespace('found')];
    await addScheduleIn(a);
    await addScheduleIn(b);
    const found = await discoverNamespaces(redis);
    expect(found).toEqual(expect.arrayContaining([a, b]));
    expect(found).toEqual([...found].sort());
  });

  it('starts a listed namespace once each, and with "all" also those that appear later', async () => {
    const listed: string[] = [];
    const fixed = await followNamespaces(redis, { namespaces: ['a', 'b', 'a'] }, async (namespace) => void listed.push(namespace), () => undefined);
    fixed.stop();
    expect(listed).toEqual(['a', 'b']);

    const first = uniqueNamespace('follow');
    await addScheduleIn(first);
    const started: string[] = [];
    const follower = await followNamespaces(redis, { namespaces: 'all', namespaceScanEveryMs: 50 }, async (namespace) => void started.push(namespace), () => undefined);
    try {
      expect(started).toContain(first);
      const later = uniqueNamespace('follow');
      await addScheduleIn(later);
      await until(() => started.includes(later));
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(started.filter((namespace) => namespace === later || namespace === first)).toHaveLength(2);
    } finally {
      follower.stop();
    }
  });

  it.each([
    [{ namespaces: [] }, 'namespaces'],
    [{ namespaces: 'all' as const, namespaceScanEveryMs: 0 }, 'namespaceScanEveryMs'],
  ])('refuses %j naming %s', (options, field) => {
    const error = thrownBy(() => checkNamespaceGroupOptions(options));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ field });
  });
});
