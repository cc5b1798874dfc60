import { join } from 'node:path';
import { LeaderStore, LeaseLostError, SundialClient, closeRedis, connectRedis, namespaceKeys, type RedisConnection, type RedisTarget, type Run } from '@sundial/shared';
import { runSundialProcess, SUNDIAL_BIN } from '../helpers/cli';
import { duplicates, everySecondRunIds, sleep } from '../helpers/cluster';
import { waitFor } from '../helpers/worker-fixture';
import { killAllSpawned, spawnNode, type SpawnedProcess } from '../support/processes';
import { startSentinelSet, type SentinelSet } from '../support/redis-sentinel';

/**
 * Sundial on Redis Sentinel, with real processes: a primary, its replica, three sentinels, and a
 * coordinator and a worker that find the primary through the sentinels. The primary is killed
 * (SIGKILL) while an every-second schedule fires; the sentinels promote the replica and the
 * schedule goes on firing. Then a leader is frozen past its lease and thawed: its lease is fenced.
 *
 * What Sundial can and cannot promise here: replication is asynchronous, so the writes the
 * primary acknowledged in the last moments before it died may never reach the replica. Sundial's
 * run ids are deterministic (`<schedule>@<fire time>`), so a fire whose commit was lost is fired
 * again by the next leader under the same id, and a run record never appears twice; but a run
 * that a worker had already executed from the lost part of the stream may execute again (at
 * least once), and a run record written only to the dead primary may be gone. The test counts
 * both and bounds them by the replication window, which on one host is a few milliseconds: at
 * most a couple of fires. No fire inside the span the test watches is lost without a trace.
 */
jest.setTimeout(180_000);

const WORKER_BIN = join(__dirname, '..', '..', 'packages', 'worker', 'bin', 'sundial-worker.js');
const TASKS = join(__dirname, '..', 'fixtures', 'worker', 'namespace-tasks.js');
const NAMESPACE = 'sentinel-chaos';
const SCHEDULE = 'tick';
/** The most fires the asynchronous replication window may repeat or lose around one failover. */
const REPLICATION_WINDOW_FIRES = 2;

let set: SentinelSet;
let client: SundialClient;
let admin: RedisConnection;
const coordinators: SpawnedProcess[] = [];
let worker: SpawnedProcess;

function target(): RedisTarget {
  return { kind: 'sentinel', sentinels: set.sentinelNodes, name: set.name };
}

function sentinelEnv(): Record<string, string | undefined> {
  return { REDIS_URL: undefined, REDIS_SENTINELS: set.sentinelsSetting, REDIS_SENTINEL_NAME: set.name, SUNDIAL_NAMESPACE: NAMESPACE, SUNDIAL_LOG_LEVEL: 'info' };
}

function startCoordinator(): SpawnedProcess {
  const process = spawnNode(SUNDIAL_BIN, ['coordinator', '--port', '0', '--lease', '2s', '--renew-every', '400ms'], { name: `coordinator-${coordinators.length + 1}`, env: sentinelEnv() });
  coordinators.push(process);
  return process;
}

/** The coordinator process that leads now, by the heartbeats, other than `except`. */
async function leader(except?: SpawnedProcess): Promise<SpawnedProcess> {
  return waitFor(
    'a leader',
    async () => {
      const status = await client.status().catch(() => undefined);
      const leaders = status?.coordinators.filter((coordinator) => coordinator.leader) ?? [];
      const found = coordinators.find((process) => !process.hasExited && leaders.some((each) => each.pid === process.pid));
      return leaders.length === 1 && found && found !== except ? found : undefined;
    },
    30_000,
  );
}

async function scheduledRuns(): Promise<Run[]> {
  return (await client.listRuns({ scheduleId: SCHEDULE, limit: 1_000 })).filter((run) => run.kind === 'scheduled').reverse();
}

/** Waits until a run of a fire at or after `fromMs` has succeeded. */
async function succeededSince(fromMs: number): Promise<void> {
  await waitFor(`a succeeded run fired after ${new Date(fromMs).toISOString()}`, async () => ((await scheduledRuns()).some((run) => run.status === 'succeeded' && Date.parse(run.fireTime) >= fromMs) ? true : undefined), 30_000);
}

/** How often the worker executed each run to success, from its log lines. */
function executions(): string[] {
  const ids: string[] = [];
  for (const line of worker.output().split('\n')) {
    if (!line.startsWith('{')) continue;
    const entry = JSON.parse(line) as { msg?: string; runId?: string };
    if (entry.msg === 'run succeeded' && entry.runId) ids.push(entry.runId);
  }
  return ids;
}

beforeAll(async () => {
  set = await startSentinelSet({ sentinels: 3 });
  client = new SundialClient({ connection: target(), namespace: NAMESPACE });
  admin = await connectRedis(target(), { connectionName: 'sundial:test' });
  admin.on('error', () => undefined);
});

afterAll(async () => {
  await Promise.all([...coordinators, ...(worker ? [worker] : [])].map((process) => process.stop(5_000)));
  await client?.close();
  if (admin) await closeRedis(admin);
  await set?.stop();
  await killAllSpawned();
});

describe('Redis Sentinel failover', () => {
  it('keeps firing after the primary dies, losing or repeating at most the replication window, and fences a thawed leader', async () => {
    const first = startCoordinator();
    worker = spawnNode(WORKER_BIN, ['--tasks', TASKS, '--port', '0'], { name: 'worker', env: sentinelEnv() });
    await leader();
    await client.add({ id: SCHEDULE, task: 'tick', trigger: { every: '1s' }, coalesce: 'all', overlap: 'allow' });
    await sleep(3_000);

    // The primary dies at once; the sentinels notice after down-after-milliseconds and promote the replica.
    const killedAt = Date.now();
    await set.master.kill('SIGKILL');
    const promoted = await set.waitForFailover();
    expect(promoted).toBe(set.replica.port);
    const failedOverAt = Date.now();
    await succeededSince(failedOverAt + 2_000);
    expect(first.hasExited).toBe(false);
    expect(worker.hasExited).toBe(false);

    // Split brain: the leader freezes past its lease, another takes over, and the thawed one is fenced.
    const keys = namespaceKeys(NAMESPACE);
    const frozen = await leader();
    const staleLease = { token: (await admin.get(keys.leader)) as string, epoch: Number(await admin.get(keys.epoch)) };
    frozen.signal('SIGSTOP');
    const second = startCoordinator();
    expect(await leader(frozen)).toBe(second);
    const store = new LeaderStore(admin, keys, { historyLimit: 1_000, eventsMaxLength: 10_000, coordinatorId: 'stale' });
    await expect(store.promoteBuffered(staleLease, Date.now())).rejects.toBeInstanceOf(LeaseLostError);
    const mark = frozen.output().length;
    frozen.signal('SIGCONT');
    await frozen.waitForOutput(/lost leadership/, 15_000, { since: mark });
    const thawedAt = Date.now();
    await succeededSince(thawedAt + 1_000);
    expect(frozen.output().slice(mark)).not.toMatch(/elected leader/);

    await client.pause(SCHEDULE);
    await sleep(1_500);
    const runs = await scheduledRuns();
    const runIds = runs.map((run) => run.runId);
    // A run id is a record key: whatever happened, no run appears twice.
    expect(duplicates(runIds)).toEqual({});
    const firstFire = Date.parse((runs[0] as Run).fireTime);
    const lastFire = Date.parse((runs[runs.length - 1] as Run).fireTime);
    const expected = everySecondRunIds(SCHEDULE, firstFire, lastFire);
    const lost = expected.filter((runId) => !runIds.includes(runId));
    const missed = runs.filter((run) => run.status === 'missed' || run.status === 'skipped');
    const repeated = duplicates(executions());
    const repeatedFires = Object.keys(repeated);
    // Only fires around the moment the primary died may be lost or repeated.
    const aroundKill = (runId: string): boolean => Math.abs(Number(runId.split('@')[1]) - killedAt) <= 3_000;
    expect(lost.length).toBeLessThanOrEqual(REPLICATION_WINDOW_FIRES);
    expect(lost.filter((runId) => !aroundKill(runId))).toEqual([]);
    expect(repeatedFires.length).toBeLessThanOrEqual(REPLICATION_WINDOW_FIRES);
    expect(repeatedFires.filter((runId) => !aroundKill(runId))).toEqual([]);
    expect(missed).toEqual([]);
    // Every other fire of the whole span ran, the ones during the failover caught up (coalesce all).
    expect(runs.filter((run) => run.status !== 'succeeded').map((run) => run.runId)).toEqual([]);
    expect(runs.length).toBe(expected.length - lost.length);
  });

  it('refuses an unreachable sentinel set with one line naming REDIS_SENTINELS, and writes nothing', async () => {
    const env = { REDIS_URL: '', REDIS_SENTINELS: '127.0.0.1:1,127.0.0.1:2', REDIS_SENTINEL_NAME: set.name, SUNDIAL_NAMESPACE: NAMESPACE };
    const result = await runSundialProcess(env, 'schedule', 'add', 'never', '--task', 'tick', '--every', '1m');
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^sundial: REDIS_SENTINELS: could not connect to Redis at sentinel "sundial-primary" via 127\.0\.0\.1:1,127\.0\.0\.1:2: All sentinels are unreachable/);
    const wrongName = await runSundialProcess({ ...env, REDIS_SENTINELS: set.sentinelsSetting, REDIS_SENTINEL_NAME: 'nobody' }, 'schedule', 'list');
    expect(wrongName.exitCode).not.toBe(0);
    expect(wrongName.stderr).toMatch(/^sundial: REDIS_SENTINELS: /);
    expect(wrongName.stderr.trim().split('\n')).toHaveLength(1);
    const noName = await runSundialProcess({ ...env, REDIS_SENTINEL_NAME: '' }, 'schedule', 'add', 'never', '--task', 'tick', '--every', '1m');
    expect(noName.exitCode).not.toBe(0);
    expect(noName.stderr).toBe('sundial: REDIS_SENTINEL_NAME: is required with REDIS_SENTINELS: the name the sentinels monitor the primary under\n');
    await expect(client.get('never')).rejects.toThrow(/never/);
  });
});
