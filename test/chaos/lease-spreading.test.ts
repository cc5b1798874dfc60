import { PROMTOOL_TOLERATED_METRICS, SundialClient, closeRedis, connectRedis, type Run } from '@sundial/shared';
import type { Redis } from 'ioredis';
import path from 'node:path';
import { SUNDIAL_BIN, runSundialProcess } from '../helpers/cli';
import { sleep } from '../helpers/cluster';
import { killAllSpawned, spawnNode, type SpawnedProcess } from '../support/processes';
import { promtoolCheckMetrics } from '../support/prometheus';
import { startRedisServer, type RedisServer } from '../support/redis-server';

/**
 * Several namespaces led by coordinator replicas that each serve all of them: the leases spread
 * over the replicas (two each for six namespaces and three replicas), move to the survivors when
 * a replica is killed, and every namespace's schedule keeps firing, its runs executed by one
 * worker process serving all six.
 */
jest.setTimeout(150_000);

const NAMESPACES = ['ns-a', 'ns-b', 'ns-c', 'ns-d', 'ns-e', 'ns-f'];
const WORKER_BIN = path.join(__dirname, '..', '..', 'packages', 'worker', 'bin', 'sundial-worker.js');
const TASKS = path.join(__dirname, '..', 'fixtures', 'worker', 'namespace-tasks.js');

let redis: RedisServer;
let admin: Redis;
let clients: Map<string, SundialClient>;
const replicas: SpawnedProcess[] = [];

function startReplica(): SpawnedProcess {
  const replica = spawnNode(SUNDIAL_BIN, ['coordinator', '--port', '0', '--lease', '2s', '--renew-every', '400ms', '--namespaces', NAMESPACES.join(',')], {
    name: `replica-${replicas.length + 1}`,
    env: { REDIS_URL: redis.url, SUNDIAL_LOG_LEVEL: 'info' },
  });
  replicas.push(replica);
  return replica;
}

/** The pid leading each namespace now (by the coordinators' heartbeats), undefined while it has none. */
async function leaders(): Promise<Map<string, number | undefined>> {
  const led = new Map<string, number | undefined>();
  for (const [namespace, client] of clients) {
    const status = await client.status();
    led.set(namespace, status.coordinators.find((coordinator) => coordinator.leader)?.pid);
  }
  return led;
}

/** Namespaces led per live replica, once every namespace has a leader among `alive` and `accept` holds. */
async function waitForLeases(alive: readonly SpawnedProcess[], accept: (counts: number[]) => boolean, timeoutMs = 40_000): Promise<Map<number, string[]>> {
  const deadline = Date.now() + timeoutMs;
  let last = new Map<string, number | undefined>();
  for (;;) {
    last = await leaders();
    const byPid = new Map<number, string[]>(alive.map((replica) => [replica.pid, []]));
    for (const [namespace, pid] of last) if (pid !== undefined) byPid.get(pid)?.push(namespace);
    const counts = [...byPid.values()].map((led) => led.length);
    if (counts.reduce((sum, count) => sum + count, 0) === NAMESPACES.length && accept(counts)) return byPid;
    if (Date.now() > deadline) {
      throw new Error(`leases did not settle: ${JSON.stringify([...last])}\n${replicas.map((replica) => `${replica.name} (${replica.pid}):\n${replica.output().slice(-2_000)}`).join('\n')}`);
    }
    await sleep(200);
  }
}

/** What a process started with `--port 0` serves on `/metrics`, found from its start line. */
async function metricsOf(process: SpawnedProcess, startLine: RegExp): Promise<string> {
  const line = (await process.waitForOutput(startLine, 20_000))[0];
  const port = /"httpPort":(\d+)/.exec(line)?.[1];
  if (port === undefined) throw new Error(`no httpPort in ${process.name}'s output`);
  const response = await fetch(`http://127.0.0.1:${port}/metrics`);
  expect(response.status).toBe(200);
  return response.text();
}

/** Metric names promtool complains about, beyond those Sundial documents as tolerated. */
function promtoolComplaints(text: string): string[] {
  const complained = promtoolCheckMetrics(text).problems.map((line) => line.split(' ')[0] ?? line);
  return complained.filter((metric) => !(PROMTOOL_TOLERATED_METRICS as readonly (string | undefined)[]).includes(metric));
}

async function succeededRuns(namespace: string): Promise<Run[]> {
  const runs = await (clients.get(namespace) as SundialClient).listRuns({ scheduleId: 'tick', limit: 1_000 });
  return runs.filter((run) => run.status === 'succeeded');
}

beforeAll(async () => {
  redis = await startRedisServer();
  admin = await connectRedis(redis.url, { connectionName: 'sundial:test-admin' });
  clients = new Map(NAMESPACES.map((namespace) => [namespace, new SundialClient({ connection: admin, namespace })]));
});

afterAll(async () => {
  await killAllSpawned();
  for (const client of clients.values()) await client.close();
  await closeRedis(admin);
  await redis.stop();
});

describe('namespaces as shards', () => {
  it('spreads the leases of six namespaces over three replicas, moves them when one dies, and keeps every namespace firing', async () => {
    for (const namespace of NAMESPACES) {
      await (clients.get(namespace) as SundialClient).add({ id: 'tick', task: 'tick', trigger: { every: '1s' }, overlap: 'allow', coalesce: 'all' });
    }
    const worker = spawnNode(WORKER_BIN, ['--tasks', TASKS, '--port', '0', '--namespaces', NAMESPACES.join(',')], { name: 'worker', env: { REDIS_URL: redis.url, SUNDIAL_LOG_LEVEL: 'info' } });
    await worker.waitForOutput(/"msg":"worker group started"/, 20_000);
    const all = [startReplica(), startReplica(), startReplica()];

    const spread = await waitForLeases(all, (counts) => counts.every((count) => count === 2));
    expect([...spread.values()].flat().sort()).toEqual(NAMESPACES);
    // Redis runs without persistence here: each replica says so once, not once per namespace.
    for (const replica of all) expect(replica.output().match(/Redis persistence is off/g)).toHaveLength(1);

    const status = await runSundialProcess({ REDIS_URL: redis.url }, 'status', '--namespaces', NAMESPACES.join(','), '-o', 'json');
    expect(status.exitCode).toBe(0);
    const rows = JSON.parse(status.stdout) as { namespace: string; coordinators: { pid: number; leader: boolean }[] }[];
    expect(rows.map((row) => row.namespace)).toEqual(NAMESPACES);
    for (const row of rows) {
      expect(row.coordinators).toHaveLength(3);
      expect(spread.get(row.coordinators.find((coordinator) => coordinator.leader)?.pid ?? -1)).toContain(row.namespace);
    }

    const [victim, ...survivors] = all as [SpawnedProcess, ...SpawnedProcess[]];
    const moved = spread.get(victim.pid) as string[];
    victim.signal('SIGKILL');
    await victim.exited;
    const after = await waitForLeases(survivors, (counts) => counts.every((count) => count === 3));
    for (const namespace of moved) expect([...after.values()].some((led) => led.includes(namespace))).toBe(true);

    // Every namespace keeps firing after the move, and one worker process runs them all.
    const since = Date.now();
    for (const namespace of NAMESPACES) {
      const deadline = Date.now() + 20_000;
      while (!(await succeededRuns(namespace)).some((run) => Date.parse(run.fireTime) > since)) {
        if (Date.now() > deadline) throw new Error(`no run of ${namespace} after the move:\n${worker.output().slice(-3_000)}`);
        await sleep(200);
      }
    }
    const runIds = (await Promise.all(NAMESPACES.map(succeededRuns))).flat().map((run) => `${run.runId}`);
    expect(runIds.length).toBeGreaterThan(NAMESPACES.length);
    for (const replica of [...survivors, worker]) expect(replica.output()).not.toMatch(/CROSSSLOT|"level":50/);

    // One endpoint per process: every Sundial series carries its sundial_namespace, process metrics appear once.
    const coordinatorMetrics = await metricsOf(survivors[0] as SpawnedProcess, /^.*"msg":"coordinator group started".*$/m);
    for (const namespace of NAMESPACES) expect(coordinatorMetrics).toMatch(new RegExp(`^sundial_leader\\{sundial_namespace="${namespace}"\\} [01]$`, 'm'));
    expect(coordinatorMetrics.match(/^process_cpu_user_seconds_total /gm)).toHaveLength(1);
    const workerMetrics = await metricsOf(worker, /^.*"msg":"worker group started".*$/m);
    for (const namespace of NAMESPACES) expect(workerMetrics).toMatch(new RegExp(`^sundial_runs_total\\{task="tick",outcome="succeeded",sundial_namespace="${namespace}"\\} [1-9]`, 'm'));
    expect(promtoolComplaints(coordinatorMetrics)).toEqual([]);
    expect(promtoolComplaints(workerMetrics)).toEqual([]);
    await expect(worker.stop(15_000)).resolves.toEqual({ code: 0, signal: null });
    for (const replica of survivors) await expect(replica.stop(15_000)).resolves.toEqual({ code: 0, signal: null });
  });
});
