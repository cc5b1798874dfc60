import { SundialClient } from '@sundial/shared';
import { spawnBullmqWorker } from '../lib/failover-bullmq-process';
import { spawnCoordinator, type BenchProcess } from '../lib/processes';
import { createJobSchedulers } from '../lib/scale-bullmq';
import { usedMemory } from '../lib/scale-memory';
import { sampleSteadyUsage, type SteadyUsage } from '../lib/scale-process-usage';
import { createSchedules, SCALE_FIRES_PER_SECOND, timeListing } from '../lib/scale-sundial';
import type { Scenario, ScenarioContext } from '../lib/scenario';
import { formatNumber, formatRatio, type Summary } from '../lib/stats';

const KIB = 1_024;
const RSS_LIMIT_MIB = 256;
const CREATION_GOAL_PER_SECOND = 20_000;
/** RSS counts as flat when the largest population's is within this share of the small population's. */
const FLAT_TOLERANCE = 0.2;
/** The small population the coordinator's RSS is compared with: the same fires per second, few schedules. */
const SMALL_POPULATION = 1_000;
const LEADER_TIMEOUT_MS = 30_000;
const WARM_UP_SCHEDULES = 5_000;

interface SizeFigures {
  count: number;
  createMs: number;
  perSecond: number;
  bytesPerSchedule: number;
  listFirst: Summary;
  listMiddle: Summary;
  coordinator: SteadyUsage;
}

interface BullmqFigures {
  count: number;
  createMs: number;
  perSecond: number;
  bytesPerScheduler: number;
  worker: SteadyUsage;
}

async function waitForLeadership(coordinator: BenchProcess): Promise<void> {
  const deadline = Date.now() + LEADER_TIMEOUT_MS;
  while (!/^sundial_leader 1$/m.test(await coordinator.fetchText('/metrics'))) {
    if (Date.now() > deadline) throw new Error(`the coordinator did not become leader within ${LEADER_TIMEOUT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Starts a coordinator on `namespace`, lets it settle as leader, samples its RSS and CPU, and stops it. */
async function coordinatorUsage(ctx: ScenarioContext, namespace: string, settleMs: number, windowMs: number): Promise<SteadyUsage> {
  const coordinator = await spawnCoordinator({ redisUrl: ctx.redis.url, namespace });
  try {
    await waitForLeadership(coordinator);
    await new Promise((resolve) => setTimeout(resolve, settleMs));
    return await sampleSteadyUsage(() => coordinator.usage(), windowMs);
  } finally {
    await coordinator.stop();
  }
}

/** Creates `count` schedules in a namespace of their own; returns it, the creation time and the Redis memory per schedule. Deletes the keys when it fails. */
async function createAndWeigh(ctx: ScenarioContext, name: string, count: number): Promise<{ namespace: string; createMs: number; bytesPerSchedule: number }> {
  const namespace = ctx.redis.keyPrefixFor(name);
  const redis = ctx.redis.connect();
  const client = new SundialClient({ connection: redis, namespace });
  try {
    const before = await usedMemory(redis);
    const createMs = await createSchedules(client, 'tenant', count, Date.now(), ctx.progress);
    return { namespace, createMs, bytesPerSchedule: ((await usedMemory(redis)) - before) / count };
  } catch (error) {
    await ctx.redis.deleteKeysOf(namespace);
    throw error;
  } finally {
    await client.close();
    redis.disconnect();
  }
}

async function measureSundial(ctx: ScenarioContext, count: number, settleMs: number, windowMs: number): Promise<SizeFigures> {
  ctx.progress(`Sundial: creating ${count.toLocaleString('en-US')} schedules`);
  const { namespace, createMs, bytesPerSchedule } = await createAndWeigh(ctx, `scale-${count}`, count);
  const redis = ctx.redis.connect();
  const client = new SundialClient({ connection: redis, namespace });
  try {
    const { first, middle } = await timeListing(client, count, ctx.quick ? 5 : 20);
    ctx.progress(`Sundial: coordinator over ${count.toLocaleString('en-US')} schedules`);
    const coordinator = await coordinatorUsage(ctx, namespace, settleMs, windowMs);
    return { count, createMs, perSecond: (count / createMs) * 1_000, bytesPerSchedule, listFirst: first, listMiddle: middle, coordinator };
  } finally {
    await client.close();
    redis.disconnect();
    ctx.progress(`deleting the keys of ${namespace}`);
    await ctx.redis.deleteKeysOf(namespace);
  }
}

async function measureBullmq(ctx: ScenarioContext, count: number, windowMs: number): Promise<BullmqFigures> {
  const prefix = ctx.redis.keyPrefixFor('scale-bullmq');
  const redis = ctx.redis.connect();
  try {
    ctx.progress(`BullMQ: upserting ${count.toLocaleString('en-US')} job schedulers`);
    const before = await usedMemory(redis);
    const createMs = await createJobSchedulers(redis, prefix, 'scale', count, ctx.progress);
    const bytesPerScheduler = ((await usedMemory(redis)) - before) / count;
    const worker = await spawnBullmqWorker({ redisUrl: ctx.redis.url, queue: 'scale', prefix });
    let usage: SteadyUsage;
    try {
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      usage = await sampleSteadyUsage(() => worker.usage(), windowMs);
    } finally {
      worker.kill('SIGTERM');
      await worker.exited;
    }
    return { count, createMs, perSecond: (count / createMs) * 1_000, bytesPerScheduler, worker: usage };
  } finally {
    redis.disconnect();
    await ctx.redis.deleteKeysOf(prefix);
  }
}

const mib = (value: number) => `${value.toFixed(1)} MiB`;
const perSecond = (value: number) => `${formatNumber(value, 0)}/s`;

/**
 * Many schedules: creation rate through `addMany`, Redis memory per schedule, the coordinator's
 * RSS and CPU at steady state (flat in the number of schedules), and listing a page; BullMQ job
 * schedulers side by side.
 */
export const scenario: Scenario = {
  name: 'scale',
  title: 'Scale: many schedules',
  async run(ctx) {
    const sizes = ctx.quick ? [10_000, 50_000] : [100_000, 1_000_000];
    const bullmqCount = sizes[0] as number;
    const settleMs = ctx.quick ? 2_000 : 10_000;
    const windowMs = ctx.quick ? 5_000 : 20_000;

    ctx.progress('Sundial: coordinator over an empty namespace');
    const empty = await coordinatorUsage(ctx, ctx.redis.keyPrefixFor('scale-empty'), settleMs, windowMs);
    ctx.progress(`Sundial: warming up with ${WARM_UP_SCHEDULES.toLocaleString('en-US')} schedules (not measured)`);
    await ctx.redis.deleteKeysOf((await createAndWeigh(ctx, 'scale-warm-up', WARM_UP_SCHEDULES)).namespace);
    ctx.progress(`Sundial: coordinator over ${SMALL_POPULATION.toLocaleString('en-US')} schedules`);
    const small = await createAndWeigh(ctx, `scale-${SMALL_POPULATION}`, SMALL_POPULATION);
    let baseline: SteadyUsage;
    try {
      baseline = await coordinatorUsage(ctx, small.namespace, settleMs, windowMs);
    } finally {
      await ctx.redis.deleteKeysOf(small.namespace);
    }
    const figures: SizeFigures[] = [];
    for (const count of sizes) figures.push(await measureSundial(ctx, count, settleMs, windowMs));
    const bullmq = await measureBullmq(ctx, bullmqCount, windowMs);
    const alongside = figures.find((size) => size.count === bullmqCount) as SizeFigures;
    const largest = figures[figures.length - 1] as SizeFigures;

    const slowest = Math.min(...figures.map((size) => size.perSecond));
    const heaviest = Math.max(...figures.map((size) => size.bytesPerSchedule));
    const rssMax = Math.max(...figures.map((size) => size.coordinator.rssMaxMiB));
    const growth = largest.coordinator.rssMaxMiB / baseline.rssMaxMiB - 1;

    return {
      tables: [
        {
          title: 'Creating schedules and the memory they take',
          columns: ['System', 'Count', 'Created in', 'Rate', 'Redis memory per item', 'Rate vs BullMQ', 'Memory vs BullMQ'],
          rows: [
            ...figures.map((size) => [
              'Sundial addMany',
              size.count.toLocaleString('en-US'),
              `${(size.createMs / 1_000).toFixed(1)} s`,
              perSecond(size.perSecond),
              `${formatNumber(size.bytesPerSchedule, 0)} B`,
              formatRatio(size.perSecond, bullmq.perSecond),
              formatRatio(size.bytesPerSchedule, bullmq.bytesPerScheduler),
            ]),
            ['BullMQ upsertJobScheduler', bullmq.count.toLocaleString('en-US'), `${(bullmq.createMs / 1_000).toFixed(1)} s`, perSecond(bullmq.perSecond), `${formatNumber(bullmq.bytesPerScheduler, 0)} B`, '1×', '1×'],
          ],
        },
        {
          title: `Process at steady state (${SCALE_FIRES_PER_SECOND} fires/s at every size; ${windowMs / 1_000} s window after ${settleMs / 1_000} s settling)`,
          columns: ['Process', 'Schedules', 'RSS max', 'RSS mean', 'CPU (ms per s)'],
          rows: [
            ['sundial coordinator (leader)', 'none (no fires)', mib(empty.rssMaxMiB), mib(empty.rssMeanMiB), empty.cpuMsPerSecond.toFixed(1)],
            ['sundial coordinator (leader)', SMALL_POPULATION.toLocaleString('en-US'), mib(baseline.rssMaxMiB), mib(baseline.rssMeanMiB), baseline.cpuMsPerSecond.toFixed(1)],
            ...figures.map((size) => ['sundial coordinator (leader)', size.count.toLocaleString('en-US'), mib(size.coordinator.rssMaxMiB), mib(size.coordinator.rssMeanMiB), size.coordinator.cpuMsPerSecond.toFixed(1)]),
            ['BullMQ worker (runs the job schedulers)', bullmq.count.toLocaleString('en-US'), mib(bullmq.worker.rssMaxMiB), mib(bullmq.worker.rssMeanMiB), bullmq.worker.cpuMsPerSecond.toFixed(1)],
          ],
        },
        {
          title: 'Listing a page of 100 schedules (client.list)',
          columns: ['Schedules', 'First page p50', 'First page max', 'Middle page p50', 'Middle page max'],
          rows: figures.map((size) => [
            size.count.toLocaleString('en-US'),
            `${size.listFirst.p50.toFixed(1)} ms`,
            `${size.listFirst.max.toFixed(1)} ms`,
            `${size.listMiddle.p50.toFixed(1)} ms`,
            `${size.listMiddle.max.toFixed(1)} ms`,
          ]),
        },
      ],
      goals: [
        { goal: 'creation ≥ 20,000 schedules/s', figure: `${perSecond(slowest)} at the slowest size (BullMQ: ${perSecond(bullmq.perSecond)})`, met: slowest >= CREATION_GOAL_PER_SECOND },
        { goal: '≤ 1 KiB of Redis per schedule', figure: `${formatNumber(heaviest, 0)} B at most (BullMQ: ${formatNumber(bullmq.bytesPerScheduler, 0)} B, ratio ${formatRatio(alongside.bytesPerSchedule, bullmq.bytesPerScheduler)} at ${bullmqCount.toLocaleString('en-US')})`, met: heaviest <= KIB },
        { goal: `coordinator RSS ≤ ${RSS_LIMIT_MIB} MiB`, figure: `${mib(rssMax)} at most`, met: rssMax <= RSS_LIMIT_MIB },
        {
          goal: 'coordinator RSS flat in the number of schedules',
          figure: `${mib(largest.coordinator.rssMaxMiB)} with ${largest.count.toLocaleString('en-US')} vs ${mib(baseline.rssMaxMiB)} with ${SMALL_POPULATION.toLocaleString('en-US')} (${growth >= 0 ? '+' : ''}${(growth * 100).toFixed(0)} %)`,
          met: growth <= FLAT_TOLERANCE,
        },
      ],
      notes: [
        `Each population fires every N / ${SCALE_FIRES_PER_SECOND} seconds per schedule (${sizes.map((size) => `${size.toLocaleString('en-US')}: every ${((size / SCALE_FIRES_PER_SECOND) / 3_600).toFixed(1)} h`).join(', ')}), with start times spread evenly over one period, so every size gives the coordinator the same ${SCALE_FIRES_PER_SECOND} fires a second; BullMQ job schedulers use the same periods and offsets (\`every\` + \`offset\`).`,
        'Creation: `SundialClient.addMany` called with 100,000 schedules at a time (validation, one Redis TIME, pipelined `addSchedule` scripts in batches of 1,000, one change notice per batch); BullMQ: `Queue.upsertJobScheduler`, 1,000 in flight at once on one connection.',
        'Memory: the change of Redis `used_memory` across creation, divided by the count (schedule hash, definition key, id index, due index; BullMQ: scheduler entry plus its first delayed job). Each population lives in its own namespace and is deleted after it was measured.',
        'A schedule is a hash of short state fields, which Redis keeps compact (a listpack) with its default `hash-max-listpack-value` of 64 bytes, and its JSON definition in a string key of its own.',
        `Steady state: a \`sundial coordinator\` child process on the namespace, once it is leader and has settled, sampled from /proc once a second (no workers run; the runs it enqueues wait in the queue). "Flat" compares the largest population's RSS with that over ${SMALL_POPULATION.toLocaleString('en-US')} schedules at the same ${SCALE_FIRES_PER_SECOND} fires/s; the empty namespace, which fires nothing, is shown for reference. For BullMQ, whose scheduling happens in the workers, a BullMQ worker child process on the queue.`,
        `Listing: \`client.list({ limit: 100 })\`, the first page and the page at offset N/2 (a cursor is the offset in the id index), ${ctx.quick ? 5 : 20} times each.`,
        `BullMQ was measured at ${bullmqCount.toLocaleString('en-US')} job schedulers only (the smaller size), to keep the run within minutes.`,
      ],
      data: { empty, baseline, sizes: figures, bullmq },
    };
  },
};
