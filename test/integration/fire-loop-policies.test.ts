import { LeaseLostError, buildRunJob, redisTimeMs, compileTriggerCached, planFires, type Run } from '@sundial/shared';
import { Queue } from 'bullmq';
import { leaderFixture, type LeaderFixture } from '../helpers/leader-fixture';

const MINUTE = 60_000;
let f: LeaderFixture;

beforeEach(async () => {
  f = await leaderFixture();
});

afterEach(async () => {
  await f.close();
});

async function runsOf(scheduleId: string): Promise<Run[]> {
  return (await f.client.listRuns({ scheduleId, limit: 100 })).reverse();
}

/** Adds an every-minute schedule and returns its first fire time. */
async function addEveryMinute(id: string, policies: Record<string, unknown> = {}): Promise<number> {
  const { schedule } = await f.client.add({ id, task: 'work', trigger: { every: '1m' }, ...policies });
  expect(schedule.state.nextFireTime).not.toBeNull();
  return Date.parse(schedule.state.nextFireTime as string);
}

async function tickAt(ms: number) {
  f.clock.nowMs = ms;
  return f.loop.tick(f.lease);
}

describe('the fire loop with a real Redis and BullMQ', () => {
  it('enqueues each fire time once, with a deterministic run id, and nothing before it is due', async () => {
    const first = await addEveryMinute('report');
    expect((await tickAt(first - 1)).enqueued).toBe(0);
    expect((await tickAt(first)).enqueued).toBe(1);
    expect((await tickAt(first)).enqueued).toBe(0);
    const worker = f.worker();
    await worker.until(() => worker.started.length === 1);
    expect(worker.started).toEqual([`report@${first}`]);
    const [run] = await runsOf('report');
    expect(run).toMatchObject({ runId: `report@${first}`, status: 'running', attempts: 1, fireTime: new Date(first).toISOString() });
  });

  it('overlap skip: a fire while the previous run runs is recorded as skipped, not lost', async () => {
    const first = await addEveryMinute('sync', { overlap: 'skip' });
    const worker = f.worker();
    await tickAt(first);
    await worker.until(() => worker.started.length === 1);
    await tickAt(first + MINUTE);
    worker.release(`sync@${first}`);
    await worker.until(() => worker.completed.length === 1);
    await tickAt(first + 2 * MINUTE);
    await worker.until(() => worker.started.length === 2);
    expect(worker.started).toEqual([`sync@${first}`, `sync@${first + 2 * MINUTE}`]);
    const runs = await runsOf('sync');
    expect(runs.map((run) => [run.runId, run.status, run.reason])).toEqual([
      [`sync@${first}`, 'succeeded', null],
      [`sync@${first + MINUTE}`, 'skipped', 'overlap'],
      [`sync@${first + 2 * MINUTE}`, 'running', null],
    ]);
    expect((await f.client.get('sync')).state).toMatchObject({ enqueued: 2, skipped: 1 });
  });

  it('overlap allow: runs overlap up to no limit', async () => {
    const first = await addEveryMinute('fanout', { overlap: 'allow' });
    const worker = f.worker();
    await tickAt(first);
    await tickAt(first + MINUTE);
    await worker.until(() => worker.started.length === 2);
    expect(worker.started.sort()).toEqual([`fanout@${first}`, `fanout@${first + MINUTE}`].sort());
  });

  it('max instances 2 with skip: two runs in flight, the third is skipped', async () => {
    const first = await addEveryMinute('pair', { overlap: 'skip', maxInstances: 2 });
    const worker = f.worker();
    await tickAt(first);
    await tickAt(first + MINUTE);
    await tickAt(first + 2 * MINUTE);
    await worker.until(() => worker.started.length === 2);
    expect((await runsOf('pair')).map((run) => run.status)).toEqual(['running', 'running', 'skipped']);
  });

  it('overlap buffer-one: keeps one pending fire and starts it when the running one ends', async () => {
    const first = await addEveryMinute('etl', { overlap: 'buffer-one' });
    const worker = f.worker();
    await tickAt(first);
    await worker.until(() => worker.started.length === 1);
    await tickAt(first + MINUTE);
    await tickAt(first + 2 * MINUTE);
    expect((await runsOf('etl')).map((run) => [run.status, run.reason])).toEqual([
      ['running', null],
      ['enqueued', 'buffered'],
      ['skipped', 'buffer-full'],
    ]);
    worker.release(`etl@${first}`);
    await worker.until(() => worker.completed.length === 1);
    await tickAt(first + 2 * MINUTE + 1);
    await worker.until(() => worker.started.length === 2);
    expect(worker.started[1]).toBe(`etl@${first + MINUTE}`);
  });

  it('overlap cancel-previous: a running run is told to abort, a waiting one is removed', async () => {
    const subscriber = f.redis.duplicate();
    const cancelled: string[] = [];
    subscriber.on('message', (_channel: string, runId: string) => cancelled.push(runId));
    await subscriber.subscribe(f.keys.cancelChannel);
    try {
      const first = await addEveryMinute('refresh', { overlap: 'cancel-previous' });
      // No worker yet: the first run waits in the queue and is removed when the second fires.
      await tickAt(first);
      await tickAt(first + MINUTE);
      const queue = new Queue('default', { connection: f.redis, prefix: f.keys.bullPrefix });
      expect(await queue.getJob(`refresh@${first}`)).toBeUndefined();
      await queue.close();
      const worker = f.worker();
      await worker.until(() => worker.started.length === 1);
      await tickAt(first + 2 * MINUTE);
      await new Promise<void>((resolve) => {
        const check = () => (cancelled.length > 0 ? resolve() : setTimeout(check, 20));
        check();
      });
      expect(cancelled).toEqual([`refresh@${first + MINUTE}`]);
      await worker.until(() => worker.started.length === 2);
      expect((await runsOf('refresh')).map((run) => [run.runId, run.status, run.reason])).toEqual([
        [`refresh@${first}`, 'cancelled', 'cancel-previous'],
        [`refresh@${first + MINUTE}`, 'running', 'cancel-requested'],
        [`refresh@${first + 2 * MINUTE}`, 'running', null],
      ]);
    } finally {
      await subscriber.quit();
    }
  });

  it('buffer-one: a buffered fire waits while the schedule is paused', async () => {
    const first = await addEveryMinute('held', { overlap: 'buffer-one' });
    const worker = f.worker();
    await tickAt(first);
    await worker.until(() => worker.started.length === 1);
    await tickAt(first + MINUTE);
    await f.client.pause('held');
    worker.release(`held@${first}`);
    await worker.until(() => worker.completed.length === 1);
    expect(await f.store.promoteBuffered(f.lease, first + MINUTE + 1)).toBe(0);
    await f.client.resume('held');
    expect(await f.store.promoteBuffered(f.lease, first + MINUTE + 2)).toBe(1);
    await f.dispatcher.dispatch(f.lease);
    await worker.until(() => worker.started.length === 2);
    expect(worker.started[1]).toBe(`held@${first + MINUTE}`);
  });

  it('buffer-one: a fire an older coordinator buffered (its whole job as JSON text) starts through the outbox', async () => {
    const first = await addEveryMinute('legacy-buffer', { overlap: 'buffer-one' });
    const worker = f.worker();
    await tickAt(first);
    await worker.until(() => worker.started.length === 1);
    await tickAt(first + MINUTE);
    // Rewrite the buffered entry as an older coordinator wrote it: the run with `jobJson`, no options or data of its own.
    const runId = `legacy-buffer@${first + MINUTE}`;
    const entry = JSON.parse((await f.redis.hget(f.keys.buffered, 'legacy-buffer')) as string);
    const [stored] = await f.store.readSchedules(['legacy-buffer']);
    if (!stored) throw new Error('schedule missing');
    const { optsJson, dataJson, name, priority, jobJson, ...run } = entry.run;
    expect([typeof optsJson, typeof dataJson, name, priority]).toEqual(['string', 'string', 'work', 0]);
    // Written for a coordinator of the previous version too (a rollback): the whole job, as its dispatcher reads it.
    expect(JSON.parse(jobJson)).toEqual({ queue: 'default', name: 'work', data: JSON.parse(dataJson), opts: JSON.parse(optsJson) });
    await f.redis.hset(f.keys.buffered, 'legacy-buffer', JSON.stringify({ queue: entry.queue, run: { ...run, jobJson: JSON.stringify(buildRunJob(stored.spec, runId, 'scheduled', first + MINUTE)) } }));
    worker.release(`legacy-buffer@${first}`);
    await worker.until(() => worker.completed.length === 1);
    expect(await f.store.promoteBuffered(f.lease, first + MINUTE + 1)).toBe(1);
    expect(await f.redis.zrange(f.keys.outbox, 0, -1)).toEqual([runId]);
    await f.dispatcher.dispatch(f.lease);
    await worker.until(() => worker.started.length === 2);
    expect(worker.started[1]).toBe(runId);
  });

  it('coalesce earliest over a backlog longer than one tick runs one fire in all', async () => {
    const first = await addEveryMinute('oldest', { coalesce: 'earliest' });
    const loop = f.loop as unknown as { options: { maxFiresPerTick: number } };
    loop.options.maxFiresPerTick = 3;
    for (let tick = 0; tick < 5; tick++) await tickAt(first + 9 * MINUTE);
    const runs = await runsOf('oldest');
    expect(runs.filter((run) => run.status === 'enqueued').map((run) => run.runId)).toEqual([`oldest@${first}`]);
    expect(runs.reduce((total, run) => total + run.count, 0)).toBe(10);
    expect((await f.client.get('oldest')).state.lastFireTime).toBe(new Date(first + 9 * MINUTE).toISOString());
  });

  it('a resume that moves a schedule past its backlog ends the backlog: the next fire runs', async () => {
    const first = await addEveryMinute('restart', { coalesce: 'earliest', overlap: 'allow' });
    const loop = f.loop as unknown as { options: { maxFiresPerTick: number } };
    loop.options.maxFiresPerTick = 2;
    await tickAt(first + 5 * MINUTE);
    expect((await f.store.readSchedules(['restart']))[0]?.inBacklog).toBe(true);
    await f.client.pause('restart');
    const resumed = await f.client.resume('restart');
    expect((await f.store.readSchedules(['restart']))[0]?.inBacklog).toBe(false);
    await tickAt(Date.parse(resumed.state.nextFireAt as string));
    const runs = await runsOf('restart');
    expect(runs[runs.length - 1]).toMatchObject({ runId: `restart@${Date.parse(resumed.state.nextFireTime as string)}`, status: 'enqueued' });
  });

  it('misfire grace and coalesce after downtime: late fires are missed, others coalesced, all accounted for', async () => {
    const first = await addEveryMinute('digest', { misfireGrace: '150s', coalesce: 'latest' });
    await tickAt(first + 5 * MINUTE);
    const runs = await runsOf('digest');
    expect(runs.map((run) => [run.status, run.reason, run.count])).toEqual([
      ['missed', 'misfire-grace', 3],
      ['skipped', 'coalesced', 2],
      ['enqueued', null, 1],
    ]);
    expect(runs[2]?.runId).toBe(`digest@${first + 5 * MINUTE}`);
    expect((await f.client.get('digest')).state).toMatchObject({ enqueued: 1, missed: 3, skipped: 2 });
  });

  it('coalesce all catches up every fire time after downtime', async () => {
    const first = await addEveryMinute('ledger', { coalesce: 'all', overlap: 'allow' });
    await tickAt(first + 3 * MINUTE);
    expect((await runsOf('ledger')).map((run) => run.runId)).toEqual([0, 1, 2, 3].map((i) => `ledger@${first + i * MINUTE}`));
  });

  it('a committed run is in its queue at once: the commit adds its job, so a crash after it loses nothing', async () => {
    const first = await addEveryMinute('billing');
    const [stored] = await f.store.readSchedules(['billing']);
    if (!stored) throw new Error('schedule missing');
    // Commit as the loop would, then "crash": there is no later step that could be lost.
    const plan = planFires({ trigger: compileTriggerCached(stored.spec.trigger), seed: 'billing', lastNominalMs: stored.lastNominalMs, nowMs: first, misfireGraceMs: null, coalesce: 'latest', catchUpLimit: 100 });
    const runId = `billing@${first}`;
    await f.store.commitTick(f.lease, stored, plan, [{ runId, kind: 'scheduled', nominalMs: first, fireAtMs: first, job: buildRunJob(stored.spec, runId, 'scheduled', first) }], first);
    await f.reelect();
    f.clock.nowMs = first + 1;
    await f.loop.tick(f.lease);
    const queue = new Queue('default', { connection: f.redis, prefix: f.keys.bullPrefix });
    try {
      expect(await queue.getJobCountByTypes('waiting', 'delayed', 'active', 'completed')).toBe(1);
      expect((await queue.getJob(runId))?.data).toMatchObject({ runId, scheduleId: 'billing' });
    } finally {
      await queue.close();
    }
    expect(await f.redis.zcard(f.keys.outbox)).toBe(0);
  });

  it('runs an older coordinator left in the outbox are dispatched by the next leader, once, even when drained twice', async () => {
    const first = await addEveryMinute('ledger-old');
    const [stored] = await f.store.readSchedules(['ledger-old']);
    if (!stored) throw new Error('schedule missing');
    const runId = `ledger-old@${first}`;
    // What an older coordinator's commit left: the run in the outbox, its job as JSON text.
    const leaveInOutbox = async () => {
      await f.redis.zadd(f.keys.outbox, first, runId);
      await f.redis.hset(f.keys.outboxJobs, runId, JSON.stringify(buildRunJob(stored.spec, runId, 'scheduled', first)));
    };
    await leaveInOutbox();
    await f.reelect();
    f.clock.nowMs = first;
    await f.dispatcher.dispatch(f.lease);
    // As after a second crash between the add and the acknowledgement.
    await leaveInOutbox();
    await f.dispatcher.dispatch(f.lease);
    const queue = new Queue('default', { connection: f.redis, prefix: f.keys.bullPrefix });
    try {
      expect(await queue.getJobCountByTypes('waiting', 'delayed', 'active', 'completed')).toBe(1);
    } finally {
      await queue.close();
    }
    expect(await f.redis.zcard(f.keys.outbox)).toBe(0);
  });

  it('committing the same fire twice enqueues it once', async () => {
    const first = await addEveryMinute('audit');
    const [stored] = await f.store.readSchedules(['audit']);
    if (!stored) throw new Error('schedule missing');
    const plan = planFires({ trigger: compileTriggerCached(stored.spec.trigger), seed: 'audit', lastNominalMs: stored.lastNominalMs, nowMs: first, misfireGraceMs: null, coalesce: 'latest', catchUpLimit: 100 });
    const run = { runId: `audit@${first}`, kind: 'scheduled' as const, nominalMs: first, fireAtMs: first, job: buildRunJob(stored.spec, `audit@${first}`, 'scheduled', first) };
    const once = await f.store.commitTick(f.lease, stored, plan, [run], first);
    const twice = await f.store.commitTick(f.lease, stored, plan, [run], first);
    expect(once).toEqual({ status: 'done', outcomes: { [run.runId]: 'enqueued' } });
    expect(twice).toEqual({ status: 'done', outcomes: { [run.runId]: 'duplicate' } });
    expect((await f.client.get('audit')).state.enqueued).toBe(1);
  });

  it('fencing: a stale leader (old token or epoch) changes nothing', async () => {
    const first = await addEveryMinute('fenced');
    const stale = f.lease;
    await f.reelect();
    const before = await f.redis.hgetall(f.keys.schedule('fenced'));
    f.clock.nowMs = first;
    await expect(f.loop.tick(stale)).rejects.toThrow(LeaseLostError);
    await expect(f.store.ackDispatched(stale, ['x'])).rejects.toThrow(LeaseLostError);
    await expect(f.store.promoteBuffered(stale, first)).rejects.toThrow(LeaseLostError);
    expect(await f.redis.hgetall(f.keys.schedule('fenced'))).toEqual(before);
    expect(await f.redis.zcard(f.keys.outbox)).toBe(0);
    expect(await f.client.listRuns({ scheduleId: 'fenced' })).toEqual([]);
    // Same token, old epoch: also refused.
    await expect(f.loop.tick({ token: f.lease.token, epoch: stale.epoch })).rejects.toThrow(LeaseLostError);
    expect((await f.loop.tick(f.lease)).enqueued).toBe(1);
  });

  it('pause and resume: fires while paused are recorded as paused (catch-up none) or follow the policy', async () => {
    const first = await addEveryMinute('paused-none');
    await addEveryMinute('paused-policy', { coalesce: 'all', overlap: 'allow' });
    await f.client.pause('paused-none');
    await f.client.pause('paused-policy');
    expect((await tickAt(first + 2 * MINUTE)).enqueued).toBe(0);
    // Resume happens in real time, long before the manual clock: fake "now" by the store's view.
    const none = await f.client.resume('paused-none', { catchUp: 'none' });
    const policy = await f.client.resume('paused-policy', { catchUp: 'policy' });
    expect(none.state.paused).toBe(false);
    expect(policy.state.nextFireTime).toBe(new Date(first).toISOString());
    await tickAt(first + 2 * MINUTE);
    expect((await runsOf('paused-policy')).map((run) => run.runId)).toEqual([0, 1, 2].map((i) => `paused-policy@${first + i * MINUTE}`));
  });

  it('trigger now runs even while paused, and backfill runs a range once however often it is asked', async () => {
    const first = await addEveryMinute('manual', { overlap: 'allow' });
    await f.client.pause('manual');
    const { runId } = await f.client.trigger('manual');
    const backfill = { from: new Date(first - 3 * MINUTE), to: new Date(first - MINUTE) };
    const { runIds } = await f.client.backfill('manual', backfill);
    await f.client.backfill('manual', backfill);
    expect(runIds).toEqual([3, 2, 1].map((i) => `manual@backfill-${first - i * MINUTE}`));
    // Requests are due at the time they were made (Redis time); the schedule itself is paused.
    await tickAt(await redisTimeMs(f.redis));
    const worker = f.worker();
    await worker.until(() => worker.started.length === 4);
    expect(worker.started.sort()).toEqual([runId, ...runIds].sort());
    expect(await f.redis.hlen(f.keys.requests)).toBe(0);
  });

  it('overlap allow: runs whose jobs are gone are pruned from the active set once it reaches 32, so it cannot grow without end', async () => {
    const first = await addEveryMinute('firehose', { overlap: 'allow' });
    for (let fire = 0; fire < 31; fire++) await tickAt(first + fire * MINUTE);
    const active = f.keys.active('firehose');
    expect(await f.redis.hlen(active)).toBe(31);
    const queue = new Queue('default', { connection: f.redis, prefix: f.keys.bullPrefix });
    await queue.obliterate({ force: true });
    await queue.close();
    await tickAt(first + 31 * MINUTE);
    expect(await f.redis.hlen(active)).toBe(32);
    // At 32 the stale runs are dropped; the run added by that tick and the one before (whose job exists) stay.
    await tickAt(first + 32 * MINUTE);
    expect(await f.redis.hlen(active)).toBe(2);
  });
});
