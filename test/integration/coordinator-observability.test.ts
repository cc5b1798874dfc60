import { startCoordinator, type Coordinator } from '@sundial/coordinator';
import {
  CoordinatorMetrics,
  EventHub,
  LeaderStore,
  LoopLiveness,
  QueueDepthReader,
  SundialClient,
  answerProbe,
  connectRedis,
  countSchedules,
  namespaceKeys,
  redisTimeMs,
  type SundialEvent,
} from '@sundial/shared';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { Dispatcher } from '../../packages/coordinator/src/fire-loop/dispatcher';
import { FireLoop } from '../../packages/coordinator/src/fire-loop/fire-loop';
import { FireTelemetry } from '../../packages/coordinator/src/fire-loop/fire-telemetry';
import { ManualClock, leaderFixture, type LeaderFixture } from '../helpers/leader-fixture';
import { waitFor } from '../helpers/worker-fixture';
import { deleteNamespace, testRedisUrl, uniqueNamespace } from '../support/namespace';
import { closeClient } from '../support/redis-client';
import { startRedisServer, type RedisServer } from '../support/redis-server';

// The coordinator's metrics, probes and in-process hooks, against the real Redis and BullMQ.

jest.setTimeout(40_000);

const MINUTE = 60_000;
const silent = pino({ level: 'silent' });

/** One sample of a metric: for a histogram, `metricName` tells its series (`_count`, `_sum`, `_bucket`). */
interface Sample {
  readonly value: number;
  readonly labels: Partial<Record<string, string | number>>;
  readonly metricName?: string;
}

/** The samples of a metric as a scrape would read them (empty when it has none). */
async function samples(metrics: CoordinatorMetrics, name: string): Promise<Sample[]> {
  const metric = metrics.registry.getSingleMetric(name);
  return metric ? ((await metric.get()).values as Sample[]) : [];
}

/** The value of the sample with exactly these labels, or undefined when there is none. */
async function sample(metrics: CoordinatorMetrics, name: string, labels: Record<string, string> = {}): Promise<number | undefined> {
  const matches = (each: Sample) => Object.keys(each.labels).length === Object.keys(labels).length && Object.entries(labels).every(([key, expected]) => String(each.labels[key]) === expected);
  return (await samples(metrics, name)).find(matches)?.value;
}

async function get(port: number, path: string): Promise<{ status: number; body: string }> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: response.status, body: await response.text() };
}

describe('fire-loop metrics and hooks (a hand-ticked fire loop)', () => {
  let f: LeaderFixture;
  let metrics: CoordinatorMetrics;
  let hub: EventHub;
  let leading: boolean;
  let queueDepths: QueueDepthReader;

  async function setUp(perScheduleMetrics: boolean): Promise<void> {
    hub = new EventHub(silent);
    leading = true;
    // The sources are read at scrape time, once the fixture exists.
    metrics = new CoordinatorMetrics(
      {
        leaseEpoch: () => (leading ? f.lease.epoch : undefined),
        clockSkewMs: () => 0,
        scheduleCounts: () => countSchedules(f.redis, f.keys),
        queueDepths: () => queueDepths.read(),
        queueWorkers: async () => [],
      },
      { perScheduleMetrics },
    );
    f = await leaderFixture({ observer: new FireTelemetry(metrics, hub) });
    queueDepths = new QueueDepthReader(f.redis, f.keys);
  }

  async function tickAt(ms: number) {
    f.clock.nowMs = ms;
    return f.loop.tick(f.lease);
  }

  async function addEveryMinute(id: string, policies: Record<string, unknown> = {}): Promise<number> {
    const { schedule } = await f.client.add({ id, task: 'work', trigger: { every: '1m' }, ...policies });
    return Date.parse(schedule.state.nextFireTime as string);
  }

  afterEach(async () => {
    await queueDepths.close();
    await f.close();
  });

  it('counts fires by queue and outcome (enqueued, missed past the grace, skipped by overlap) and tells the hooks', async () => {
    await setUp(false);
    const events: SundialEvent[] = [];
    hub.on(['run.enqueued', 'run.missed', 'run.skipped'], (event) => void events.push(event));
    const late = await addEveryMinute('late', { queue: 'reports', misfireGrace: '30s', coalesce: 'all', overlap: 'allow' });
    // Five fire times are more than 30 s late, the sixth 10 s late: five missed, one enqueued.
    await tickAt(late + 5 * MINUTE + 10_000);
    expect(await sample(metrics, 'sundial_fires_total', { queue: 'reports', outcome: 'missed' })).toBe(5);
    expect(await sample(metrics, 'sundial_fires_total', { queue: 'reports', outcome: 'enqueued' })).toBe(1);

    const busy = await addEveryMinute('busy', { overlap: 'skip' });
    await tickAt(busy);
    // No worker runs the first job, so the next fire time finds it still in flight.
    await tickAt(busy + MINUTE);
    expect(await sample(metrics, 'sundial_fires_total', { queue: 'default', outcome: 'enqueued' })).toBe(1);
    expect(await sample(metrics, 'sundial_fires_total', { queue: 'default', outcome: 'skipped' })).toBe(1);
    expect(await samples(metrics, 'sundial_schedule_fires_total')).toEqual([]);

    const missed = events.find((event) => event.type === 'run.missed');
    expect(missed).toEqual({
      type: 'run.missed',
      time: new Date(late + 5 * MINUTE + 10_000).toISOString(),
      scheduleId: 'late',
      runId: `late@${late}-${late + 4 * MINUTE}`,
      fireTime: new Date(late).toISOString(),
      status: 'missed',
      reason: 'misfire-grace',
      count: 5,
      task: 'work',
    });
    expect(events.filter((event) => event.type === 'run.enqueued').map((event) => event.runId)).toEqual([`late@${late + 5 * MINUTE}`, `busy@${busy}`]);
    expect(events.find((event) => event.type === 'run.skipped')).toMatchObject({ scheduleId: 'busy', runId: `busy@${busy + MINUTE}`, reason: 'overlap', count: 1 });
  });

  it('observes lateness from the due time to the job added to BullMQ, and the tick duration', async () => {
    await setUp(false);
    const first = await addEveryMinute('punctual', { queue: 'reports', overlap: 'allow' });
    await tickAt(first + 2_500);
    const values = await samples(metrics, 'sundial_fire_lateness_seconds');
    const count = values.find((value) => value.metricName === 'sundial_fire_lateness_seconds_count' && value.labels.queue === 'reports');
    const sum = values.find((value) => value.metricName === 'sundial_fire_lateness_seconds_sum' && value.labels.queue === 'reports');
    expect(count?.value).toBe(1);
    // The manual clock stands still during the tick: the job was added exactly 2.5 s after its due time.
    expect(sum?.value).toBeCloseTo(2.5, 6);
    const ticks = (await samples(metrics, 'sundial_tick_duration_seconds')).find((value) => value.metricName === 'sundial_tick_duration_seconds_count');
    expect(ticks?.value).toBe(1);

    // A trigger-now run counts as enqueued but has no due time to be late from.
    await f.client.trigger('punctual');
    await tickAt(first + 3_000);
    expect(await sample(metrics, 'sundial_fires_total', { queue: 'reports', outcome: 'enqueued' })).toBe(2);
    const after = (await samples(metrics, 'sundial_fire_lateness_seconds')).find((value) => value.metricName === 'sundial_fire_lateness_seconds_count' && value.labels.queue === 'reports');
    expect(after?.value).toBe(1);
  });

  it('counts a buffered fire as enqueued when it is buffered, and not again when it starts', async () => {
    await setUp(false);
    const first = await addEveryMinute('buffered', { overlap: 'buffer-one' });
    await tickAt(first);
    await tickAt(first + MINUTE);
    expect(await sample(metrics, 'sundial_fires_total', { queue: 'default', outcome: 'enqueued' })).toBe(2);
    // The other outcomes of the queue exist from its first fire, at 0, so increase() sees their first one.
    expect(await sample(metrics, 'sundial_fires_total', { queue: 'default', outcome: 'missed' })).toBe(0);
    expect(await sample(metrics, 'sundial_fires_total', { queue: 'default', outcome: 'skipped' })).toBe(0);
    const worker = f.worker();
    await worker.until(() => worker.started.length === 1);
    worker.release(`buffered@${first}`);
    await worker.until(() => worker.completed.length === 1);
    await tickAt(first + MINUTE + 1);
    await worker.until(() => worker.started.length === 2);
    expect(await sample(metrics, 'sundial_fires_total', { queue: 'default', outcome: 'enqueued' })).toBe(2);
  });

  it('with perScheduleMetrics, also counts fires per schedule', async () => {
    await setUp(true);
    const first = await addEveryMinute('tracked', { misfireGrace: '1s', coalesce: 'all', overlap: 'allow' });
    await tickAt(first + MINUTE + 500);
    expect(await sample(metrics, 'sundial_schedule_fires_total', { schedule: 'tracked', outcome: 'missed' })).toBe(1);
    expect(await sample(metrics, 'sundial_schedule_fires_total', { schedule: 'tracked', outcome: 'enqueued' })).toBe(1);
  });

  it('reports schedules by state and queue depth while leading, and nothing while standing by', async () => {
    await setUp(false);
    const first = await addEveryMinute('active', { queue: 'reports' });
    await addEveryMinute('stopped');
    await f.client.pause('stopped');
    await f.client.add({ id: 'created-paused', task: 'work', trigger: { every: '1h' }, paused: true });
    await f.client.add({ id: 'done', task: 'work', trigger: { at: '2020-01-01T00:00:00Z' } });
    expect(await sample(metrics, 'sundial_schedules', { state: 'active' })).toBe(1);
    expect(await sample(metrics, 'sundial_schedules', { state: 'paused' })).toBe(2);
    expect(await sample(metrics, 'sundial_schedules', { state: 'finished' })).toBe(1);

    await f.client.resume('stopped');
    await f.client.remove('created-paused');
    expect(await sample(metrics, 'sundial_schedules', { state: 'active' })).toBe(2);
    expect(await sample(metrics, 'sundial_schedules', { state: 'paused' })).toBe(0);

    // No worker runs: the job waits in its queue.
    await tickAt(first);
    expect(await sample(metrics, 'sundial_queue_jobs', { queue: 'reports', state: 'waiting' })).toBe(1);
    expect(await sample(metrics, 'sundial_queue_jobs', { queue: 'reports', state: 'active' })).toBe(0);
    expect((await f.client.status()).queues).toEqual(
      expect.arrayContaining([{ name: 'reports', waiting: 1, active: 0, delayed: 0, failed: 0, completed: 0, paused: 0, prioritized: 0 }]),
    );

    leading = false;
    expect(await samples(metrics, 'sundial_schedules')).toEqual([]);
    expect(await samples(metrics, 'sundial_queue_jobs')).toEqual([]);
    const text = await metrics.registry.metrics();
    expect(text).toContain('# TYPE sundial_queue_jobs gauge');
    expect(text).not.toMatch(/^sundial_queue_jobs\{/m);
  });
});

describe('coordinator metrics, probes and hooks (real coordinators)', () => {
  let admin: Redis;
  let namespace: string;
  const coordinators: Coordinator[] = [];

  async function start(): Promise<Coordinator> {
    const coordinator = await startCoordinator({ connection: testRedisUrl(), namespace, port: 0, maxSleepMs: 100, leaseMs: 2_000, renewEveryMs: 400 }, silent);
    coordinators.push(coordinator);
    return coordinator;
  }

  beforeAll(async () => {
    admin = await connectRedis(testRedisUrl(), { connectionName: 'sundial:test-admin' });
  });

  beforeEach(() => {
    namespace = uniqueNamespace('observability');
  });

  afterEach(async () => {
    await Promise.all(coordinators.splice(0).map((coordinator) => coordinator.stop()));
    await deleteNamespace(admin, namespace);
  });

  afterAll(async () => {
    await closeClient(admin);
  });

  it('only the leader exports the namespace gauges; leadership changes are counted and told to the hooks', async () => {
    const client = new SundialClient({ connection: admin, namespace });
    await client.add({ id: 'hourly', task: 'work', queue: 'reports', trigger: { every: '1h' } });
    const first = await start();
    const firstEvents: SundialEvent[] = [];
    first.on(['leader.elected', 'leader.lost'], (event) => void firstEvents.push(event));
    await waitFor('the first leader', () => first.lease());
    const second = await start();
    const secondEvents: SundialEvent[] = [];
    second.on('*', (event) => void secondEvents.push(event));

    const leaderBody = await waitFor('the leader exporting gauges', async () => {
      const { body } = await get(first.httpPort as number, '/metrics');
      return /^sundial_queue_jobs\{queue="reports",state="waiting"\} 0$/m.test(body) ? body : undefined;
    });
    expect(leaderBody).toMatch(/^sundial_leader 1$/m);
    expect(leaderBody).toMatch(/^sundial_leader_transitions_total 1$/m);
    expect(leaderBody).toMatch(/^sundial_schedules\{state="active"\} 1$/m);
    const standbyBody = (await get(second.httpPort as number, '/metrics')).body;
    expect(standbyBody).toMatch(/^sundial_leader 0$/m);
    expect(standbyBody).toMatch(/^sundial_leader_transitions_total 0$/m);
    expect(standbyBody).not.toMatch(/^sundial_schedules\{/m);
    expect(standbyBody).not.toMatch(/^sundial_queue_jobs\{/m);

    const lease = first.lease();
    await first.stop();
    coordinators.splice(coordinators.indexOf(first), 1);
    expect(firstEvents.filter((event) => event.type === 'leader.lost')).toEqual([
      { type: 'leader.lost', time: expect.any(String), coordinator: first.id, epoch: lease?.epoch, reason: 'released' },
    ]);

    await waitFor('the standby taking over', () => second.lease());
    const takenOver = await waitFor('the new leader exporting gauges', async () => {
      const { body } = await get(second.httpPort as number, '/metrics');
      return /^sundial_schedules\{state="active"\} 1$/m.test(body) ? body : undefined;
    });
    expect(takenOver).toMatch(/^sundial_leader 1$/m);
    expect(takenOver).toMatch(/^sundial_leader_transitions_total 1$/m);
    const elected = secondEvents.find((event) => event.type === 'leader.elected');
    expect(elected).toMatchObject({ coordinator: second.id, epoch: second.lease()?.epoch });
    expect(Date.parse(elected?.time ?? '')).not.toBeNaN();
  });

  it('emits run.enqueued to on() hooks from its fire loop', async () => {
    const coordinator = await start();
    const enqueued: SundialEvent[] = [];
    coordinator.on('run.enqueued', (event) => void enqueued.push(event));
    await waitFor('a lease', () => coordinator.lease());
    const client = new SundialClient({ connection: admin, namespace });
    await client.add({ id: 'soon', task: 'work', trigger: { every: '1h' } });
    const { runId } = await client.trigger('soon');
    const event = await waitFor('run.enqueued', () => enqueued.find((each) => each.runId === runId));
    expect(event).toMatchObject({ type: 'run.enqueued', scheduleId: 'soon', task: 'work', status: 'enqueued', count: 1 });
  });
});

describe('liveness of the fire loop', () => {
  let server: RedisServer;
  let admin: Redis;

  beforeEach(async () => {
    server = await startRedisServer();
    admin = await connectRedis(server.url, { connectionName: 'sundial:test-admin' });
  });

  afterEach(async () => {
    await admin.call('CLIENT', 'UNPAUSE').catch(() => undefined);
    await closeClient(admin);
    await server.stop();
  });

  it('a loop blocked on Redis for longer than the limit makes /healthz answer 503, and 200 once it goes round again', async () => {
    const keys = namespaceKeys('liveness');
    const redis = new Redis(server.url, { maxRetriesPerRequest: null });
    const store = new LeaderStore(redis, keys, { historyLimit: 100, eventsMaxLength: 100 });
    const clock = new ManualClock(await redisTimeMs(redis));
    const dispatcher = new Dispatcher(redis, store, clock, { completedSeconds: 3_600, failedSeconds: 3_600 }, silent);
    const token = randomUUID();
    await redis.set(keys.leader, token, 'PX', 60_000);
    const lease = { token, epoch: (await store.claimEpoch(token)) as number };
    // A clock of its own: the test moves liveness time past the limit without waiting 30 s.
    let monotonicMs = 0;
    const liveness = new LoopLiveness(20, () => monotonicMs);
    const client = new SundialClient({ connection: redis, namespace: keys.namespace });
    const { schedule } = await client.add({ id: 'due-soon', task: 'work', trigger: { every: '1h' } });
    const firstFireMs = Date.parse(schedule.state.nextFireTime as string);
    const loop = new FireLoop(store, { lease: () => lease, markLost: () => undefined }, dispatcher, clock, { batchSize: 100, maxSleepMs: 20, maxFiresPerTick: 100, cancelChannel: keys.cancelChannel, liveness }, silent);
    const { registry } = new CoordinatorMetrics({ leaseEpoch: () => lease.epoch, clockSkewMs: () => 0, scheduleCounts: () => countSchedules(redis, keys), queueDepths: async () => [], queueWorkers: async () => [] });
    const probes = { registry, ready: () => true, alive: liveness.alive };
    const healthz = async () => (await answerProbe('/healthz', probes)).status;
    loop.start();
    try {
      monotonicMs += liveness.stuckAfterMs + 1;
      // A loop that goes round records it: moving time past the limit does not make it stuck.
      await waitFor('a healthy loop going round', async () => ((await healthz()) === 200 ? true : undefined));

      // A due fire time makes the next tick write its commit, which a write pause holds.
      await admin.call('CLIENT', 'PAUSE', '60000', 'WRITE');
      clock.nowMs = firstFireMs;
      // Time passes the limit, then many rounds' worth of waiting: a loop that went round meanwhile would have recorded it.
      const stuckFor = async (waitMs: number) => {
        monotonicMs += liveness.stuckAfterMs + 1;
        await new Promise((resolve) => setTimeout(resolve, waitMs));
        return healthz();
      };
      await waitFor('the loop stuck', async () => ((await stuckFor(100)) === 503 ? true : undefined));
      expect(await stuckFor(300)).toBe(503);
      expect((await answerProbe('/healthz', probes)).body).toBe('not alive\n');

      await admin.call('CLIENT', 'UNPAUSE');
      await waitFor('the loop going round again', async () => ((await healthz()) === 200 ? true : undefined));
    } finally {
      await admin.call('CLIENT', 'UNPAUSE');
      await loop.stop();
      await dispatcher.close();
      await closeClient(redis);
    }
  });

  it('a coordinator stays alive while Redis is down, and is not ready', async () => {
    const coordinator = await startCoordinator({ connection: server.url, namespace: 'liveness', port: 0, maxSleepMs: 100 }, silent);
    try {
      const port = coordinator.httpPort as number;
      await waitFor('a lease', () => coordinator.lease());
      await server.kill();
      await waitFor('not ready', async () => ((await get(port, '/readyz')).status === 503 ? true : undefined));
      expect(await get(port, '/healthz')).toEqual({ status: 200, body: 'ok\n' });
    } finally {
      if (!server.running) await server.restart();
      await coordinator.stop();
    }
  });
});
