import { killAllSpawned } from '../support/processes';
import { Cluster, duplicates, everySecondRunIds, sleep } from '../helpers/cluster';

/**
 * Chaos tests: coordinators run as real processes against a Redis of their own, and the test
 * kills, freezes and restarts them (and Redis), then compares the fire times a schedule should
 * have had with the runs that actually happened: none lost, none twice.
 */
jest.setTimeout(120_000);

let cluster: Cluster;

afterEach(async () => {
  await cluster?.stop();
  await killAllSpawned();
});

/** Pauses the schedule, waits for its last runs, and checks every fire time from the first to the last ran exactly once. */
async function expectEveryFireOnce(scheduleId: string): Promise<string[]> {
  await cluster.sundial.pause(scheduleId);
  const runs = await cluster.runs(scheduleId);
  const enqueued = runs.filter((run) => run.kind === 'scheduled' && run.count === 1 && run.status !== 'skipped' && run.status !== 'missed');
  const first = enqueued[0];
  const last = enqueued[enqueued.length - 1];
  if (!first || !last) throw new Error('no runs');
  const expected = everySecondRunIds(scheduleId, Date.parse(first.fireTime), Date.parse(last.fireTime));
  await cluster.processedRun(last.runId);
  expect(runs.filter((run) => run.status === 'skipped' || run.status === 'missed')).toEqual([]);
  expect(enqueued.map((run) => run.runId)).toEqual(expected);
  expect(duplicates(cluster.processed)).toEqual({});
  expect(cluster.processed.filter((runId) => runId.startsWith(`${scheduleId}@`)).sort()).toEqual([...expected].sort());
  return expected;
}

describe('coordinator failover', () => {
  it('(a) SIGKILL the leader again and again: every fire time of an every-second schedule runs exactly once', async () => {
    cluster = await Cluster.start();
    cluster.startCoordinator();
    cluster.startCoordinator();
    await cluster.leader();
    await cluster.sundial.add({ id: 'tick', task: 'tick', trigger: { every: '1s' }, coalesce: 'all', overlap: 'allow' });
    for (let kill = 0; kill < 4; kill++) {
      await sleep(1_500 + kill * 300);
      const leader = await cluster.leader();
      leader.signal('SIGKILL');
      await leader.exited;
      cluster.startCoordinator();
    }
    await cluster.leader();
    await sleep(2_000);
    const fires = await expectEveryFireOnce('tick');
    // Four leaders died; the fire times spanning their deaths were caught up, not lost.
    expect(fires.length).toBeGreaterThan(8);
    expect(new Set((await cluster.runs('tick')).map((run) => run.epoch)).size).toBeGreaterThanOrEqual(5);
  });

  it('(b) a leader frozen past its lease and thawed after another took over changes nothing', async () => {
    cluster = await Cluster.start();
    const first = cluster.startCoordinator();
    await cluster.leader();
    await cluster.sundial.add({ id: 'tick', task: 'tick', trigger: { every: '1s' }, coalesce: 'all', overlap: 'allow' });
    await sleep(2_000);
    const staleEpoch = Math.max(...(await cluster.runs('tick')).map((run) => run.epoch ?? 0));
    first.signal('SIGSTOP');
    const second = cluster.startCoordinator();
    expect(await cluster.leader(15_000, first)).toBe(second);
    await sleep(1_500);
    const mark = first.output().length;
    first.signal('SIGCONT');
    await first.waitForOutput(/lost leadership/, 10_000, { since: mark });
    await sleep(2_000);
    const runs = await cluster.runs('tick');
    const afterFreeze = runs.filter((run) => run.epoch === staleEpoch).map((run) => Date.parse(run.createdAt));
    const newEpochRuns = runs.filter((run) => run.epoch !== null && run.epoch > staleEpoch);
    expect(newEpochRuns.length).toBeGreaterThan(0);
    // Nothing the stale leader enqueued was created after the new leader's first run.
    const takeover = Math.min(...newEpochRuns.map((run) => Date.parse(run.createdAt)));
    expect(afterFreeze.filter((created) => created >= takeover)).toEqual([]);
    expect(first.output().slice(mark)).not.toMatch(/elected leader/);
    await expectEveryFireOnce('tick');
  });

  it('(c) Redis restarts with AOF (appendfsync always) mid-stream: schedules intact, nothing duplicated or lost', async () => {
    cluster = await Cluster.start({ appendonly: true, appendfsync: 'always' });
    cluster.startCoordinator();
    cluster.startCoordinator();
    await cluster.leader();
    await cluster.sundial.add({ id: 'tick', task: 'tick', trigger: { every: '1s' }, coalesce: 'all', overlap: 'allow', data: { keep: [1, 2] } });
    await cluster.sundial.add({ id: 'yearly', task: 'report', trigger: { cron: '0 9 1 1 *', timezone: 'Europe/Berlin' }, labels: { team: 'finance' } });
    const before = await cluster.sundial.get('yearly');
    await sleep(2_500);
    await cluster.redis.kill('SIGKILL');
    await sleep(1_500);
    await cluster.redis.restart();
    await cluster.leader(30_000);
    await sleep(3_000);
    const after = await cluster.sundial.get('yearly');
    expect({ ...after, state: { ...after.state, updatedAt: '' } }).toEqual({ ...before, state: { ...before.state, updatedAt: '' } });
    expect((await cluster.sundial.get('tick')).data).toEqual({ keep: [1, 2] });
    await expectEveryFireOnce('tick');
  });

  it('(d) several coordinators started at once elect exactly one leader', async () => {
    cluster = await Cluster.start();
    const processes = [0, 1, 2, 3].map(() => cluster.startCoordinator());
    const leader = await cluster.leader();
    await sleep(2_000);
    expect(await cluster.leader()).toBe(leader);
    const elected = processes.filter((process) => /elected leader/.test(process.output()));
    expect(elected).toEqual([leader]);
    const status = await cluster.sundial.status();
    expect(status.coordinators).toHaveLength(4);
    expect(status.coordinators.filter((coordinator) => coordinator.leader)).toHaveLength(1);
  });

  it('(e) SIGTERM the leader: a standby takes over at once, within the schedule period', async () => {
    cluster = await Cluster.start();
    cluster.startCoordinator();
    cluster.startCoordinator();
    const leader = await cluster.leader();
    // With a 900 ms grace, a fire enqueued later than that is recorded as missed, and `latest`
    // records any second fire due at once as coalesced: a takeover gap would show up as either.
    await cluster.sundial.add({ id: 'tick', task: 'tick', trigger: { every: '1s' }, misfireGrace: '900ms', coalesce: 'latest' });
    await sleep(2_500);
    leader.signal('SIGTERM');
    expect(await leader.exited).toEqual({ code: 0, signal: null });
    expect(leader.output()).toMatch(/coordinator stopped/);
    const standby = await cluster.leader(15_000, leader);
    expect(standby).not.toBe(leader);
    await sleep(2_500);
    await expectEveryFireOnce('tick');
  });
});
