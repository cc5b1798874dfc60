import { buildRunJob, compileTriggerCached, planFires, redisTimeMs, scheduledRunId, type StoredSchedule, type TickToCommit } from '@sundial/shared';
import { Queue, Worker, type Job } from 'bullmq';
import { leaderFixture, type LeaderFixture } from '../helpers/leader-fixture';

/*
 * The commit scripts add a run's BullMQ job themselves (lua/includes/bullmq-job.lua), writing what
 * BullMQ's own add writes. These tests pin that against the installed BullMQ: the same job hash,
 * lists, marker and events as `Queue.add` with the same name, data and options, and a BullMQ
 * Worker that takes the job as one of its own.
 */

let f: LeaderFixture;

beforeEach(async () => {
  f = await leaderFixture();
});

afterEach(async () => {
  await f.close();
});

const DATA = { tags: [], nested: { empty: {}, list: [1, 'two', null] }, text: 'ünïcødé "quoted"\n' };

async function addSchedule(id: string, extra: Record<string, unknown> = {}): Promise<StoredSchedule> {
  await f.client.add({ id, task: 'report', trigger: { every: '1m' }, overlap: 'allow', data: DATA, ...extra });
  const [stored] = await f.store.readSchedules([id]);
  if (!stored) throw new Error(`schedule ${id} missing`);
  return stored;
}

/** Commits the schedule's next fire time as the fire loop would; returns its run id. */
async function commitNextFire(stored: StoredSchedule, nowMs?: number): Promise<string> {
  const dueAt = stored.nextAtMs ?? 0;
  const plan = planFires({ trigger: compileTriggerCached(stored.spec.trigger), seed: stored.spec.id, lastNominalMs: stored.lastNominalMs, nowMs: dueAt, misfireGraceMs: null, coalesce: 'all', catchUpLimit: 10 });
  const runs = plan.enqueue.map((fire) => {
    const runId = scheduledRunId(stored.spec.id, fire.nominalMs);
    return { runId, kind: 'scheduled' as const, nominalMs: fire.nominalMs, fireAtMs: fire.fireAtMs, job: buildRunJob(stored.spec, runId, 'scheduled', fire.nominalMs) };
  });
  const tick: TickToCommit = { stored, plan, runs };
  const [result] = await f.store.commitTicks(f.lease, [tick], nowMs ?? dueAt);
  const [run] = runs;
  if (!run || result?.status !== 'done' || result.outcomes[run.runId] !== 'enqueued') throw new Error(`nothing enqueued: ${JSON.stringify(result)}`);
  return run.runId;
}

/** The same job added by BullMQ itself, to queue `queueName`: the reference layout. */
async function addWithBullMQ(queueName: string, stored: StoredSchedule, runId: string): Promise<void> {
  const job = buildRunJob(stored.spec, runId, 'scheduled', Number(runId.split('@')[1]));
  const queue = new Queue(queueName, { connection: f.redis, prefix: f.keys.bullPrefix });
  try {
    await queue.add(job.name, job.data, { ...job.opts, jobId: runId, removeOnComplete: { age: 3_600 }, removeOnFail: { age: 3_600 } });
  } finally {
    await queue.close();
  }
}

/** A queue's keys and what they hold, with the job's `timestamp` and the stream ids left out. */
async function queueLayout(queueName: string, runId: string) {
  const base = `${f.keys.bullPrefix}:${queueName}:`;
  const { timestamp, ...job } = await f.redis.hgetall(`${base}${runId}`);
  const events = (await f.redis.xrange(`${base}events`, '-', '+')).map(([, fields]) => fields);
  return {
    job: { ...job, data: JSON.parse(job.data as string), opts: JSON.parse(job.opts as string) },
    hasTimestamp: Number(timestamp) > 0,
    wait: await f.redis.lrange(`${base}wait`, 0, -1),
    paused: await f.redis.lrange(`${base}paused`, 0, -1),
    prioritized: await f.redis.zrange(`${base}prioritized`, 0, -1, 'WITHSCORES'),
    marker: await f.redis.zrange(`${base}marker`, 0, -1, 'WITHSCORES'),
    events,
    maxLenEvents: await f.redis.hget(`${base}meta`, 'opts.maxLenEvents'),
  };
}

/** Takes one job from `queueName` with a BullMQ Worker and returns it as the worker saw it. */
async function takeWithWorker(queueName: string): Promise<Job> {
  let worker: Worker | undefined;
  try {
    return await new Promise<Job>((resolve, reject) => {
      worker = new Worker(queueName, async (job) => resolve(job), { connection: f.redis.duplicate(), prefix: f.keys.bullPrefix });
      worker.on('error', reject);
    });
  } finally {
    await worker?.close();
    await (worker?.client.then((client) => client.quit()).catch(() => undefined));
  }
}

describe('jobs added by the commit are laid out as BullMQ lays out its own', () => {
  it('a waiting job: the same hash, wait list, marker and events as Queue.add', async () => {
    const stored = await addSchedule('report', { retry: { attempts: 3, backoff: 'fixed', delay: '2s' } });
    const runId = await commitNextFire(stored);
    await addWithBullMQ('reference', stored, runId);

    const ours = await queueLayout('default', runId);
    expect(ours).toEqual(await queueLayout('reference', runId));
    expect(ours.job.data.data).toEqual(DATA);
    expect(ours.wait).toEqual([runId]);
    expect(ours.marker).toEqual(['0', '0']);
  });

  it('several runs in one script call: the same wait list, marker and events as one Queue.add each', async () => {
    const ids = ['one', 'two', 'three'];
    const schedules = await Promise.all(ids.map((id) => addSchedule(id)));
    const dueAt = Math.max(...schedules.map((stored) => stored.nextAtMs ?? 0));
    const ticks = schedules.map((stored): TickToCommit => {
      const plan = planFires({ trigger: compileTriggerCached(stored.spec.trigger), seed: stored.spec.id, lastNominalMs: stored.lastNominalMs, nowMs: dueAt, misfireGraceMs: null, coalesce: 'all', catchUpLimit: 10 });
      const runs = plan.enqueue.map((fire) => {
        const runId = scheduledRunId(stored.spec.id, fire.nominalMs);
        return { runId, kind: 'scheduled' as const, nominalMs: fire.nominalMs, fireAtMs: fire.fireAtMs, job: buildRunJob(stored.spec, runId, 'scheduled', fire.nominalMs) };
      });
      return { stored, plan, runs };
    });
    await f.store.commitTicks(f.lease, ticks, dueAt);
    const runIds = ticks.flatMap((tick) => tick.runs.map((run) => run.runId));
    for (const [index, runId] of runIds.entries()) await addWithBullMQ('reference', schedules[index] as StoredSchedule, runId);

    const ours = await Promise.all(runIds.map((runId) => queueLayout('default', runId)));
    expect(ours).toEqual(await Promise.all(runIds.map((runId) => queueLayout('reference', runId))));
    expect(ours[0]?.wait).toEqual([...runIds].reverse());
  });

  it("the job's timestamp is Redis' time when the commit ran", async () => {
    const stored = await addSchedule('stamped');
    const before = await redisTimeMs(f.redis);
    const runId = await commitNextFire(stored);
    const after = await redisTimeMs(f.redis);
    const timestamp = Number(await f.redis.hget(`${f.keys.bullPrefix}:default:${runId}`, 'timestamp'));
    expect(timestamp).toBeGreaterThanOrEqual(before);
    expect(timestamp).toBeLessThanOrEqual(after);
  });

  it('a prioritized job: the same priority score and counter as Queue.add', async () => {
    const stored = await addSchedule('urgent', { priority: 5 });
    const runId = await commitNextFire(stored);
    await addWithBullMQ('reference', stored, runId);

    const ours = await queueLayout('default', runId);
    expect(ours).toEqual(await queueLayout('reference', runId));
    expect(ours.prioritized).toEqual([runId, String(5 * 2 ** 32 + 1)]);
    expect(ours.wait).toEqual([]);
  });

  it('a paused queue: the job waits in the paused list without a marker, and runs once the queue resumes', async () => {
    const stored = await addSchedule('held');
    const queue = new Queue('default', { connection: f.redis, prefix: f.keys.bullPrefix });
    const reference = new Queue('reference', { connection: f.redis, prefix: f.keys.bullPrefix });
    try {
      await queue.pause();
      await reference.pause();
      const runId = await commitNextFire(stored);
      await addWithBullMQ('reference', stored, runId);
      const ours = await queueLayout('default', runId);
      const theirs = await queueLayout('reference', runId);
      expect(ours).toEqual(theirs);
      expect(ours.paused).toEqual([runId]);
      expect(ours.marker).toEqual([]);

      await queue.resume();
      expect((await takeWithWorker('default')).id).toBe(runId);
    } finally {
      await queue.close();
      await reference.close();
    }
  });

  it('a BullMQ Worker takes the job with its data and options as the run built them', async () => {
    const stored = await addSchedule('taken', { retry: { attempts: 4, backoff: 'exponential', delay: 500 } });
    const runId = await commitNextFire(stored);
    const job = await takeWithWorker('default');
    expect(job.id).toBe(runId);
    expect(job.name).toBe('report');
    expect(job.data).toEqual({ runId, scheduleId: 'taken', task: 'report', kind: 'scheduled', fireTime: new Date(Number(runId.split('@')[1])).toISOString(), data: DATA });
    expect(job.opts).toMatchObject({ jobId: runId, attempts: 4, backoff: { type: 'exponential', delay: 500 }, removeOnComplete: { age: 3_600 }, removeOnFail: { age: 3_600 } });
  });

  it('a run handed over ahead of its time carries fireAt; one due at the commit does not', async () => {
    const stored = await addSchedule('ahead');
    const dueAt = stored.nextAtMs ?? 0;
    const runId = await commitNextFire(stored, dueAt - 1_000);
    const data = JSON.parse((await f.redis.hget(`${f.keys.bullPrefix}:default:${runId}`, 'data')) as string);
    expect(data.fireAt).toBe(new Date(dueAt).toISOString());
  });

  it('a job with the run id already in the queue is left as it is: no second job, no second event', async () => {
    const stored = await addSchedule('twice');
    const runId = scheduledRunId('twice', stored.nextAtMs ?? 0);
    const queue = new Queue('default', { connection: f.redis, prefix: f.keys.bullPrefix });
    try {
      await queue.add('other', { first: true }, { jobId: runId });
      const before = await queueLayout('default', runId);
      await commitNextFire(stored);
      expect(await queueLayout('default', runId)).toEqual(before);
      expect(await queue.getJobCountByTypes('waiting')).toBe(1);
    } finally {
      await queue.close();
    }
  });
});
