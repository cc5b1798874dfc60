import { EVENT_ERROR_MAX_CHARS, RunTracker, SundialClient, namespaceKeys, nextAttempt, parseEventEntry, type AttemptRun, type AttemptState, type JobAttempts, type NamespaceKeys, type SundialEvent } from '@sundial/shared';
import { Redis } from 'ioredis';
import { closeClient } from '../support/redis-client';
import { deleteNamespace, testRedisUrl, uniqueNamespace } from '../support/namespace';

let redis: Redis;
let namespace: string;
let keys: NamespaceKeys;

beforeEach(() => {
  namespace = uniqueNamespace('tracker');
  keys = namespaceKeys(namespace);
  redis = new Redis(testRedisUrl());
});

afterEach(async () => {
  await deleteNamespace(redis, namespace);
  await closeClient(redis);
});

/** Writes the record of an enqueued run, as the leader does, due 1,250 ms (nominal 1,000 plus jitter). */
async function enqueuedRun(runId: string, fields: Record<string, string> = {}): Promise<AttemptRun> {
  await redis.hset(keys.run(runId), { runId, scheduleId: 'job', kind: 'scheduled', queue: 'default', fireTime: '1000', fireAt: '1250', status: 'enqueued', count: '1', createdAt: '1', updatedAt: '1', ...fields });
  return { runId, scheduleId: 'job', task: 'report', fireTime: new Date(1_000).toISOString() };
}

/** A job in its first round (BullMQ made no attempt: retries and stalls leave `attemptsMade` alone) whose data carries no attempt state. */
const firstRoundJob: JobAttempts = { attemptsMade: 0, state: undefined };

async function streamEvents(): Promise<SundialEvent[]> {
  return (await redis.xrange(keys.events, '-', '+')).flatMap(([id, fields]) => parseEventEntry(id, fields) ?? []);
}

describe('RunTracker (real Redis)', () => {
  it('records attempts, clears the retry note on success, keeps an unserializable result as a note, and refuses a finished run', async () => {
    const run = await enqueuedRun('job@1000');
    const tracker = new RunTracker(redis, keys, { workerId: 'w1', eventsMaxLength: 100 });
    const client = new SundialClient({ connection: redis, namespace });

    expect(await tracker.preview(run, firstRoundJob)).toEqual({ admitted: true, state: { attempt: 1, round: 0, roundStart: 1 }, recorded: true, dueAtMs: 1_250 });
    expect(await tracker.start(run, firstRoundJob, 2_000)).toEqual({ admitted: true, state: { attempt: 1, round: 0, roundStart: 1 }, recorded: true, dueAtMs: 1_250 });
    await tracker.failed(run, 1, 2_100, { error: 'Error: boom', durationMs: 100, willRetry: true });
    expect(await client.getRun(run.runId)).toMatchObject({ status: 'enqueued', reason: 'retrying', attempts: 1, error: 'Error: boom' });
    expect(await tracker.start(run, firstRoundJob, 3_000)).toMatchObject({ admitted: true, state: { attempt: 2 } });
    await tracker.succeeded(run, 2, 3_100, { big: 1n }, 100);
    expect(await client.getRun(run.runId)).toMatchObject({ status: 'succeeded', reason: null, attempts: 2, error: null, worker: 'w1', durationMs: 100 });
    expect((await client.getRun(run.runId)).result).toMatchObject({ unserializable: true });
    // A duplicate job of the finished run, or one that stalled after its success was recorded.
    expect(await tracker.preview(run, firstRoundJob)).toEqual({ admitted: false });
    expect(await tracker.start(run, firstRoundJob, 4_000)).toEqual({ admitted: false });
    expect(await tracker.start(run, { attemptsMade: 1, state: undefined }, 4_000)).toEqual({ admitted: false });
    expect((await streamEvents()).map((event) => `${event.type} ${event.attempt}`)).toEqual(['run.started 1', 'run.retrying 1', 'run.started 2', 'run.succeeded 2']);
    await client.close();
  });

  it('writes run.timed_out before run.retrying or run.failed, with the task and the error, and hands each event to onEvent as written', async () => {
    const run = await enqueuedRun('job@1000');
    const hooked: SundialEvent[] = [];
    const tracker = new RunTracker(redis, keys, { workerId: 'w1', eventsMaxLength: 100, onEvent: (event) => hooked.push(event) });
    const error = 'TaskTimeoutError: the attempt took longer than its 50 ms time limit';
    await tracker.start(run, firstRoundJob, 2_000);
    await tracker.failed(run, 1, 2_050, { error, durationMs: 50, willRetry: true, timedOut: true });
    await tracker.start(run, firstRoundJob, 3_000);
    await tracker.failed(run, 2, 3_050, { error, durationMs: 50, willRetry: false, timedOut: true });

    const written = await streamEvents();
    expect(written.map((event) => `${event.type} ${event.attempt}`)).toEqual(['run.started 1', 'run.timed_out 1', 'run.retrying 1', 'run.started 2', 'run.timed_out 2', 'run.failed 2']);
    expect(written[1]).toMatchObject({ scheduleId: 'job', runId: 'job@1000', fireTime: '1970-01-01T00:00:01.000Z', task: 'report', error, worker: 'w1', time: new Date(2_050).toISOString() });
    expect(written[5]).toMatchObject({ status: 'failed', task: 'report', error });
    expect(hooked).toEqual(written.map(({ id: _id, ...event }) => event));
    expect(await redis.hget(keys.run(run.runId), 'status')).toBe('failed');
  });

  it('records a cancelled attempt: reason cancel-previous when the overlap policy asked for it, operator otherwise', async () => {
    const byPolicy = await enqueuedRun('job@1000', { reason: 'cancel-requested' });
    const byOperator = await enqueuedRun('job@2000');
    const tracker = new RunTracker(redis, keys, { workerId: 'w1', eventsMaxLength: 100 });
    const client = new SundialClient({ connection: redis, namespace });
    for (const run of [byPolicy, byOperator]) {
      await tracker.start(run, firstRoundJob, 2_000);
      await tracker.cancelled(run, 1, 2_100, `RunCancelledError: run "${run.runId}" was cancelled`, 100);
    }
    expect(await client.getRun(byPolicy.runId)).toMatchObject({ status: 'cancelled', reason: 'cancel-previous', attempts: 1, durationMs: 100 });
    expect(await client.getRun(byOperator.runId)).toMatchObject({ status: 'cancelled', reason: 'operator' });
    const cancelled = (await streamEvents()).filter((event) => event.type === 'run.cancelled');
    expect(cancelled.map((event) => [event.runId, event.reason, event.status, event.task])).toEqual([
      ['job@1000', 'cancel-previous', 'cancelled', 'report'],
      ['job@2000', 'operator', 'cancelled', 'report'],
    ]);
    // A cancelled run is final: a duplicate job does not run it.
    expect((await tracker.start(byOperator, firstRoundJob, 3_000)).admitted).toBe(false);
    await client.close();
  });

  it('cuts a long error short in events, keeps it whole in the record, and runs a run without a record unrecorded', async () => {
    const run = await enqueuedRun('job@1000');
    const tracker = new RunTracker(redis, keys, { workerId: 'w1', eventsMaxLength: 100 });
    const long = `Error: ${'é'.repeat(2 * EVENT_ERROR_MAX_CHARS)}`;
    await tracker.start(run, firstRoundJob, 2_000);
    await tracker.failed(run, 1, 2_100, { error: long, durationMs: 1, willRetry: false });
    expect(await redis.hget(keys.run(run.runId), 'error')).toBe(long);
    const failed = (await streamEvents()).find((event) => event.type === 'run.failed');
    expect(Array.from(failed?.error ?? '')).toHaveLength(EVENT_ERROR_MAX_CHARS);
    expect(failed?.error).toMatch(/^Error: é+…$/);

    const trimmed: AttemptRun = { runId: 'gone@1', scheduleId: 'gone', task: 'report', fireTime: new Date(1).toISOString() };
    expect(await tracker.start(trimmed, firstRoundJob, 2_000)).toEqual({ admitted: true, state: { attempt: 1, round: 0, roundStart: 1 }, recorded: false, dueAtMs: undefined });
    await tracker.succeeded(trimmed, 1, 2_100, 'ok', 1);
    expect(await redis.exists(keys.run(trimmed.runId))).toBe(0);
  });

  it.each<[string, number[]]>([
    ['one round: 1, 2, 3 (retries and stalls leave attemptsMade alone)', [0, 0, 0]],
    ['a retry by hand after a final failure starts a new round', [0, 0, 1, 1]],
    ['two retries by hand', [0, 1, 2, 2]],
  ])('numbers attempts from the record by the rule of nextAttempt, and keeps them there: %s', async (_name, attemptsMadeSeen) => {
    const run = await enqueuedRun('job@1000');
    const tracker = new RunTracker(redis, keys, { workerId: 'w1', eventsMaxLength: 100 });
    let expected: AttemptState | undefined;
    for (const [index, attemptsMade] of attemptsMadeSeen.entries()) {
      expected = nextAttempt(expected, attemptsMade);
      // preview reads what start then records, without writing.
      expect(await tracker.preview(run, { attemptsMade, state: undefined })).toMatchObject({ admitted: true, recorded: true, state: expected });
      expect(await tracker.start(run, { attemptsMade, state: undefined }, 2_000 + index)).toMatchObject({ admitted: true, recorded: true, state: expected });
      expect(await redis.hmget(keys.run(run.runId), 'attempts', 'round', 'roundStart')).toEqual([expected.attempt, expected.round, expected.roundStart].map(String));
    }
  });

  it("goes on from the state a job of an older worker carries while the record keeps none, and from the record's once it does", async () => {
    // An older worker started attempt 3, the first of a round after a retry by hand, kept its state in the job, and died.
    const run = await enqueuedRun('job@1000', { status: 'running', attempts: '3' });
    const tracker = new RunTracker(redis, keys, { workerId: 'w1', eventsMaxLength: 100 });
    const olderJob: JobAttempts = { attemptsMade: 1, state: { attempt: 3, round: 1, roundStart: 3 } };
    expect(await tracker.preview(run, olderJob)).toMatchObject({ admitted: true, state: { attempt: 4, round: 1, roundStart: 3 } });
    expect(await tracker.start(run, olderJob, 2_000)).toMatchObject({ admitted: true, recorded: true, state: { attempt: 4, round: 1, roundStart: 3 } });
    // The job's stale state no longer counts: the record keeps the run's.
    expect(await tracker.start(run, olderJob, 3_000)).toMatchObject({ state: { attempt: 5, round: 1, roundStart: 3 } });
    expect(await tracker.start(run, { attemptsMade: 2, state: olderJob.state }, 4_000)).toMatchObject({ state: { attempt: 6, round: 2, roundStart: 6 } });
  });

  it('numbers the attempts of a run without a record from the state its job carries', async () => {
    const tracker = new RunTracker(redis, keys, { workerId: 'w1', eventsMaxLength: 100 });
    const trimmed: AttemptRun = { runId: 'gone@1', scheduleId: 'gone', task: 'report', fireTime: new Date(1).toISOString() };
    const state = { attempt: 2, round: 0, roundStart: 1 };
    expect(await tracker.preview(trimmed, { attemptsMade: 0, state })).toBeUndefined();
    expect(await tracker.start(trimmed, { attemptsMade: 0, state }, 2_000)).toEqual({ admitted: true, recorded: false, state: nextAttempt(state, 0), dueAtMs: undefined });
    expect(await tracker.start(trimmed, { attemptsMade: 1, state }, 2_000)).toMatchObject({ state: { attempt: 3, round: 1, roundStart: 3 } });
    expect(await redis.exists(keys.run(trimmed.runId))).toBe(0);
  });
});
