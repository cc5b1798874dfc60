import { SundialClient, connectRedis } from '@sundial/shared';
import type { Redis } from 'ioredis';
import path from 'node:path';
import { duplicates, everySecondRunIds, sleep } from '../helpers/cluster';
import { deleteNamespace, testRedisUrl, uniqueNamespace } from '../support/namespace';
import { killAllSpawned, spawnNode, type SpawnedProcess } from '../support/processes';
import { closeClient } from '../support/redis-client';

/**
 * The same app, embedding Sundial with `startSundial`, started as several real processes at
 * once: one copy leads, every copy's worker serves, an every-second schedule runs each fire time
 * exactly once, and killing the leader's process moves leadership on without losing a fire.
 * Needs `tsc --build` first (the app uses the built packages).
 */
jest.setTimeout(60_000);

const APP = path.join(__dirname, '..', 'fixtures', 'embedded', 'app.js');
const SCHEDULE = 'every-second';

interface App {
  readonly process: SpawnedProcess;
  readonly coordinatorId: string;
  readonly workerId: string;
}

describe('an app embedding Sundial, run as several processes', () => {
  let admin: Redis;
  let client: SundialClient;
  let namespace: string;

  beforeAll(async () => {
    admin = await connectRedis(testRedisUrl(), { connectionName: 'sundial:test-admin' });
  });

  beforeEach(() => {
    namespace = uniqueNamespace('embedded-cluster');
    client = new SundialClient({ connection: testRedisUrl(), namespace });
  });

  afterEach(async () => {
    await killAllSpawned();
    await client.close();
    await deleteNamespace(admin, namespace);
  });

  afterAll(async () => {
    await closeClient(admin);
  });

  async function startApps(count: number): Promise<App[]> {
    const processes = Array.from({ length: count }, (_, index) =>
      spawnNode(APP, [], { name: `app-${index + 1}`, env: { REDIS_URL: testRedisUrl(), SUNDIAL_NAMESPACE: namespace, APP_NAME: `app-${index + 1}` } }),
    );
    return Promise.all(
      processes.map(async (process) => {
        const [, coordinatorId = '', workerId = ''] = await process.waitForOutput(/started \S+ coordinator (\S+) worker (\S+)/, 20_000);
        return { process, coordinatorId, workerId };
      }),
    );
  }

  /** The app whose coordinator leads, once exactly one leads and it is not `except`. */
  async function leader(apps: readonly App[], except?: App): Promise<App> {
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      const { coordinators } = await client.status();
      const leaders = coordinators.filter((coordinator) => coordinator.leader);
      const app = apps.find((candidate) => leaders.some((each) => each.id === candidate.coordinatorId));
      if (leaders.length === 1 && app && app !== except) return app;
      await sleep(100);
    }
    throw new Error(`no single leader:\n${apps.map((app) => `${app.process.name}:\n${app.process.output().slice(-2000)}`).join('\n')}`);
  }

  /** Run ids executed, from every app's output; one entry per execution. */
  function executions(apps: readonly App[]): string[] {
    return apps.flatMap((app) => [...app.process.output().matchAll(/^ran (\S+) attempt \d+ by /gm)].map((match) => match[1] ?? ''));
  }

  async function waitForExecutions(apps: readonly App[], predicate: (runIds: string[]) => boolean, what: string): Promise<void> {
    const deadline = Date.now() + 20_000;
    while (!predicate(executions(apps))) {
      if (Date.now() > deadline) throw new Error(`${what} did not happen; ran: ${executions(apps).join(', ')}`);
      await sleep(100);
    }
  }

  it('elects one leader, serves with every copy, runs each fire once, and survives killing the leader', async () => {
    const apps = await startApps(3);
    const first = await leader(apps);
    const status = await client.status();
    expect(status.coordinators.map((coordinator) => coordinator.id).sort()).toEqual(apps.map((app) => app.coordinatorId).sort());
    expect(status.workers.map((worker) => worker.id).sort()).toEqual(apps.map((app) => app.workerId).sort());
    for (const worker of status.workers) expect(worker.tasks).toEqual(['tick']);
    // Three copies applied the one declared schedule: it exists once, as declared.
    expect((await client.list()).schedules.map((schedule) => schedule.id)).toEqual([SCHEDULE]);

    await waitForExecutions(apps, (runIds) => runIds.length >= 3, 'three runs');
    first.process.signal('SIGKILL');
    await first.process.exited;
    const killedAt = Date.now();
    const survivors = apps.filter((app) => app !== first);
    const second = await leader(survivors, first);
    expect(second).not.toBe(first);
    await waitForExecutions(apps, (runIds) => runIds.filter((runId) => Number(runId.split('@')[1]) > killedAt).length >= 3, 'three runs after the kill');

    await client.pause(SCHEDULE);
    const runs = (await client.listRuns({ scheduleId: SCHEDULE, limit: 1_000 })).reverse();
    expect(runs.filter((run) => run.status === 'skipped' || run.status === 'missed')).toEqual([]);
    const enqueued = runs.map((run) => run.runId);
    const firstFire = Number(enqueued[0]?.split('@')[1]);
    const lastFire = Number(enqueued[enqueued.length - 1]?.split('@')[1]);
    const expected = everySecondRunIds(SCHEDULE, firstFire, lastFire);
    expect(enqueued).toEqual(expected);
    await waitForExecutions(apps, (runIds) => expected.every((runId) => runIds.includes(runId)), 'every enqueued run');
    expect(duplicates(executions(apps))).toEqual({});
  });
});
