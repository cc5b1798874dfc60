import { join } from 'node:path';
import { NotFoundError, SundialClient, checkNamespaceSlots, closeRedis, connectRedis, namespaceKeys, scanKeys, type RedisConnection, type Run } from '@sundial/shared';
import { runSundialProcess, SUNDIAL_BIN } from '../helpers/cli';
import { waitFor } from '../helpers/worker-fixture';
import { killAllSpawned, spawnNode, type SpawnedProcess } from '../support/processes';
import { startRedisCluster, type RedisCluster } from '../support/redis-cluster';

/**
 * Sundial on a real three-master Redis Cluster: one coordinator process and one worker process
 * serve six namespaces, whose keys (each namespace in one slot, by its hash tag) spread over the
 * masters. Every schedule fires and its runs succeed, and nothing anywhere reports CROSSSLOT.
 */
jest.setTimeout(120_000);

const WORKER_BIN = join(__dirname, '..', '..', 'packages', 'worker', 'bin', 'sundial-worker.js');
const TASKS = join(__dirname, '..', 'fixtures', 'worker', 'namespace-tasks.js');
const NAMESPACES = ['billing', 'reports', 'mail', 'search', 'audit', 'exports'];

let cluster: RedisCluster;
let connection: RedisConnection;
const clients = new Map<string, SundialClient>();
const processes: SpawnedProcess[] = [];

/** The environment of a process that finds the cluster through REDIS_CLUSTER_NODES only. */
function clusterEnv(): Record<string, string | undefined> {
  return { REDIS_URL: undefined, REDIS_CLUSTER_NODES: cluster.nodesSetting, SUNDIAL_LOG_LEVEL: 'info' };
}

function client(namespace: string): SundialClient {
  const found = clients.get(namespace);
  if (!found) throw new Error(`no client for ${namespace}`);
  return found;
}

beforeAll(async () => {
  cluster = await startRedisCluster({ masters: 3 });
  connection = await connectRedis({ kind: 'cluster', nodes: cluster.startupNodes }, { connectionName: 'sundial:test' });
  for (const namespace of NAMESPACES) clients.set(namespace, new SundialClient({ connection: { kind: 'cluster', nodes: cluster.startupNodes }, namespace }));
});

afterAll(async () => {
  await Promise.all(processes.map((process) => process.stop(5_000)));
  await Promise.all([...clients.values()].map((each) => each.close()));
  if (connection) await closeRedis(connection);
  await cluster?.stop();
  await killAllSpawned();
});

describe('Sundial on Redis Cluster', () => {
  it('spreads the namespaces over the masters, each in one slot', async () => {
    const masters = new Set<number>();
    for (const namespace of NAMESPACES) {
      const keys = namespaceKeys(namespace);
      const slot = await cluster.slotOf(keys.due);
      for (const key of [keys.schedule('x'), keys.definition('x'), keys.leader, keys.epoch, keys.events, keys.outbox, `${keys.bullPrefix}:tick:wait`, `${keys.bullPrefix}:tick:1`]) {
        expect(await cluster.slotOf(key)).toBe(slot);
      }
      await expect(checkNamespaceSlots(connection, keys)).resolves.toBeUndefined();
      masters.add((await cluster.masterFor(slot)).port);
    }
    expect(masters.size).toBeGreaterThanOrEqual(2);
  });

  it('fires every namespace from one coordinator process, and one worker process runs them all', async () => {
    for (const namespace of NAMESPACES) {
      await client(namespace).add({ id: 'every-second', task: 'tick', trigger: { every: '1s' }, coalesce: 'all' });
    }
    const list = NAMESPACES.join(',');
    processes.push(spawnNode(SUNDIAL_BIN, ['coordinator', '--namespaces', list, '--port', '0'], { name: 'coordinator', env: clusterEnv() }));
    processes.push(spawnNode(WORKER_BIN, ['--tasks', TASKS, '--namespaces', list, '--port', '0'], { name: 'worker', env: clusterEnv() }));

    const succeeded = new Map<string, Run[]>();
    for (const namespace of NAMESPACES) {
      const runs = await waitFor(
        `two succeeded runs in ${namespace}`,
        async () => {
          const done = (await client(namespace).listRuns({ scheduleId: 'every-second', limit: 100 })).filter((run) => run.status === 'succeeded');
          return done.length >= 2 ? done : undefined;
        },
        60_000,
      );
      succeeded.set(namespace, runs);
    }
    for (const [namespace, runs] of succeeded) {
      for (const run of runs) expect(run.runId).toMatch(/^every-second@\d+$/);
      // The namespace's keys live on the master that serves its slot, and only there.
      const owner = await cluster.masterFor(namespaceKeys(namespace).due);
      const holders = new Set<number>();
      await scanKeys(connection, `sundial:{${namespace}}:*`, async (_keys, node) => {
        holders.add(node.options.port as number);
      });
      expect([...holders]).toEqual([owner.port]);
    }
    const runs = [...succeeded.values()].flat();
    expect(runs.filter((run) => /CROSSSLOT/.test(JSON.stringify(run)))).toEqual([]);
    for (const process of processes) {
      expect(process.hasExited).toBe(false);
      expect(process.output()).not.toMatch(/CROSSSLOT|MOVED|Failed to refresh slots/);
    }
  });

  it('lets the CLI add and list schedules through REDIS_CLUSTER_NODES', async () => {
    const env = { REDIS_URL: '', REDIS_CLUSTER_NODES: cluster.nodesSetting, SUNDIAL_NAMESPACE: 'mail' };
    const added = await runSundialProcess(env, 'schedule', 'add', 'nightly', '--task', 'tick', '--cron', '0 3 * * *');
    expect(added.stderr).toBe('');
    expect(added.exitCode).toBe(0);
    const listed = await runSundialProcess(env, 'schedule', 'list', '-o', 'json');
    expect(listed.exitCode).toBe(0);
    const ids = (JSON.parse(listed.stdout) as { schedules: { id: string }[] }).schedules.map((schedule) => schedule.id).sort();
    expect(ids).toEqual(['every-second', 'nightly']);
    expect((await client('mail').get('nightly')).task).toBe('tick');
    const runs = await runSundialProcess(env, 'runs', 'list', '--schedule', 'every-second', '-o', 'json');
    expect(runs.exitCode).toBe(0);
    expect((JSON.parse(runs.stdout) as unknown[]).length).toBeGreaterThan(0);
  });

  it('adds schedules in bulk, many to a script call, in the namespace slot', async () => {
    const inputs = Array.from({ length: 250 }, (_, index) => ({ id: `bulk-${index}`, task: 'tick', trigger: { every: '1h' } }));
    const result = await client('billing').addMany(inputs);
    expect(result).toMatchObject({ created: 250 });
    expect((await client('billing').get('bulk-249')).task).toBe('tick');
    expect((await client('billing').list({ limit: 300 })).schedules.filter((schedule) => schedule.id.startsWith('bulk-'))).toHaveLength(250);
  });

  it('refuses a cluster that nothing answers on, naming the setting, and writes nothing', async () => {
    const result = await runSundialProcess({ REDIS_URL: '', REDIS_CLUSTER_NODES: '127.0.0.1:1', SUNDIAL_NAMESPACE: 'mail' }, 'schedule', 'add', 'never', '--task', 'tick', '--every', '1m');
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^sundial: REDIS_CLUSTER_NODES: could not connect to Redis at cluster via 127\.0\.0\.1:1/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    await expect(client('mail').get('never')).rejects.toBeInstanceOf(NotFoundError);
  });
});
