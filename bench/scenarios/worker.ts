import { SundialClient, WorkerMetrics, namespaceKeys } from '@sundial/shared';
import { defineTask, startWorker } from '@sundial/worker';
import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { commandStatsBetween, describeCommandStats, readCommandStats, type CommandStat } from '../lib/command-stats';
import { ownUsage } from '../lib/proc-usage';
import type { GoalCheck, Scenario, ScenarioContext } from '../lib/scenario';
import { formatNumber, formatRatio, summarize, type Summary } from '../lib/stats';
import { quietLogger, startLeader } from '../lib/sundial-cluster';
import { waitFor } from '../lib/wait';

const TASK = 'bench-noop';
const QUEUE = 'default';
const CONCURRENCIES = [1, 10, 50];

type Variant = 'BullMQ Worker' | 'Sundial worker, no metrics' | 'Sundial worker, metrics';

interface DrainResult {
  variant: Variant;
  concurrency: number;
  runs: number;
  /** Runs per second from the first job taken to the last finished (job processedOn / finishedOn). */
  runsPerSecond: number;
  /** Per run: finishedOn − processedOn of its job, ms (BullMQ's own ms time stamps). */
  perRun: Summary;
  /** CPU time of the bench process (where the worker runs) per run, µs. */
  cpuUsPerRun: number;
  /** Redis commands while draining (the completion poll's ZCARDs included), most server time first. */
  commands: CommandStat[];
  /** Sundial only: how long the coordinator took to enqueue the backfilled runs, ms. */
  preloadMs?: number;
}

/** Job data of the shape a Sundial run carries, for the raw BullMQ jobs. */
function runShapedJob(index: number, baseMs: number) {
  const runId = `raw@${baseMs + index * 1_000}`;
  return {
    name: TASK,
    data: { runId, scheduleId: 'raw', task: TASK, kind: 'backfill', fireTime: new Date(baseMs + index * 1_000).toISOString(), data: {} },
    opts: { jobId: runId, removeOnComplete: { age: 86_400 }, removeOnFail: { age: 604_800 } },
  };
}

async function readJobTimes(redis: Redis, jobKeyPrefix: string, jobIds: readonly string[]): Promise<{ processedOn: number[]; finishedOn: number[] }> {
  const pipeline = redis.pipeline();
  for (const id of jobIds) pipeline.hmget(`${jobKeyPrefix}${id}`, 'processedOn', 'finishedOn');
  const answers = (await pipeline.exec()) ?? [];
  const processedOn: number[] = [];
  const finishedOn: number[] = [];
  for (const [error, value] of answers) {
    const [processed, finished] = (error ? [] : (value as (string | null)[])) ?? [];
    if (processed && finished) {
      processedOn.push(Number(processed));
      finishedOn.push(Number(finished));
    }
  }
  return { processedOn, finishedOn };
}

function summarizeDrain(variant: Variant, concurrency: number, times: { processedOn: number[]; finishedOn: number[] }, cpuMs: number, commands: CommandStat[]): DrainResult {
  const runs = times.processedOn.length;
  const first = Math.min(...times.processedOn);
  const last = Math.max(...times.finishedOn);
  return {
    variant,
    concurrency,
    runs,
    runsPerSecond: runs / (Math.max(1, last - first) / 1_000),
    perRun: summarize(times.processedOn.map((processed, i) => (times.finishedOn[i] ?? processed) - processed)),
    cpuUsPerRun: (cpuMs * 1_000) / Math.max(1, runs),
    commands,
  };
}

async function waitForCompleted(queue: Queue, runs: number): Promise<void> {
  await waitFor(`${runs} completed jobs`, async () => (await queue.getCompletedCount()) >= runs, 600_000, 20);
}

async function drainRaw(ctx: ScenarioContext, concurrency: number, runs: number): Promise<DrainResult> {
  const prefix = ctx.redis.keyPrefixFor(`worker-raw-${concurrency}`);
  const connection = ctx.redis.connect();
  const workerConnection = ctx.redis.connect();
  const queue = new Queue(QUEUE, { connection, prefix });
  try {
    const baseMs = Date.now() - runs * 1_000;
    const jobs = Array.from({ length: runs }, (_, i) => runShapedJob(i, baseMs));
    for (let i = 0; i < jobs.length; i += 1_000) await queue.addBulk(jobs.slice(i, i + 1_000));
    // The worker starts on a paused queue: the measurement covers the drain, not the start.
    await queue.pause();
    const worker = new Worker(QUEUE, async () => undefined, { connection: workerConnection, prefix, concurrency });
    worker.on('error', (error) => ctx.progress(`BullMQ worker error: ${error.message}`));
    await worker.waitUntilReady();
    const statsBefore = await readCommandStats(connection);
    const cpuBefore = ownUsage().cpuMs;
    await queue.resume();
    await waitForCompleted(queue, runs);
    const cpuMs = ownUsage().cpuMs - cpuBefore;
    const commands = commandStatsBetween(statsBefore, await readCommandStats(connection));
    ctx.progress(`BullMQ, concurrency ${concurrency}: drained`);
    await worker.close();
    return summarizeDrain('BullMQ Worker', concurrency, await readJobTimes(connection, `${prefix}:${QUEUE}:`, jobs.map((job) => job.opts.jobId)), cpuMs, commands);
  } finally {
    await queue.close();
    connection.disconnect();
    workerConnection.disconnect();
    await ctx.redis.discard(prefix);
  }
}

/**
 * Runs backfilled per schedule: well under the history a schedule keeps (1,000 runs by default),
 * so every run keeps its record, as a run does in production. A run whose record was trimmed
 * takes a slower path (its attempt state goes into its job).
 */
const RUNS_PER_SCHEDULE = 250;

/** Preloads `runs` real Sundial runs: paused schedules, each backfilled over past seconds; the coordinator enqueues them. */
async function preloadSundialRuns(ctx: ScenarioContext, namespace: string, runs: number, queue: Queue): Promise<string[]> {
  const coordinator = await startLeader({ redisUrl: ctx.redis.url, namespace });
  const client = new SundialClient({ connection: ctx.redis.url, namespace });
  try {
    const to = Math.floor(Date.now() / 1_000) * 1_000 - 1_000;
    const runIds: string[] = [];
    for (let schedule = 0; runIds.length < runs; schedule++) {
      const id = `worker-bench-${schedule}`;
      const count = Math.min(RUNS_PER_SCHEDULE, runs - runIds.length);
      await client.add({ id, task: TASK, trigger: { every: '1s' }, overlap: 'allow', paused: true });
      const from = to - (count - 1) * 1_000;
      const { runIds: added } = await client.backfill(id, { from, to, force: true, limit: count });
      runIds.push(...added);
    }
    await waitFor(`${runs} enqueued runs`, async () => (await queue.getWaitingCount()) >= runs, 120_000, 50);
    return runIds;
  } finally {
    await client.close();
    await coordinator.stop();
  }
}

async function drainSundial(ctx: ScenarioContext, concurrency: number, runs: number, metrics: boolean): Promise<DrainResult> {
  const namespace = ctx.redis.keyPrefixFor(`worker-sundial-${metrics ? 'metrics' : 'plain'}-${concurrency}`);
  const { bullPrefix } = namespaceKeys(namespace);
  const connection = ctx.redis.connect();
  const queue = new Queue(QUEUE, { connection, prefix: bullPrefix });
  try {
    const preloadStarted = performance.now();
    const runIds = await preloadSundialRuns(ctx, namespace, runs, queue);
    const preloadMs = performance.now() - preloadStarted;
    ctx.progress(`Sundial, concurrency ${concurrency}${metrics ? ', metrics' : ''}: ${runs} runs enqueued in ${formatNumber(preloadMs / 1_000)} s`);
    const task = defineTask({ name: TASK, handler: () => undefined });
    await queue.pause();
    const worker = await startWorker({ connection: ctx.redis.url, namespace, tasks: [task], concurrency, logger: quietLogger(), ...(metrics ? { port: 0 } : {}) });
    const statsBefore = await readCommandStats(connection);
    const cpuBefore = ownUsage().cpuMs;
    await queue.resume();
    await waitForCompleted(queue, runs);
    const cpuMs = ownUsage().cpuMs - cpuBefore;
    const commands = commandStatsBetween(statsBefore, await readCommandStats(connection));
    ctx.progress(`Sundial, concurrency ${concurrency}${metrics ? ', metrics' : ''}: drained`);
    await worker.close();
    return { ...summarizeDrain(metrics ? 'Sundial worker, metrics' : 'Sundial worker, no metrics', concurrency, await readJobTimes(connection, `${bullPrefix}:${QUEUE}:`, runIds), cpuMs, commands), preloadMs };
  } finally {
    await queue.close();
    connection.disconnect();
    await ctx.redis.discard(namespace);
  }
}

/** Rounds of the metric-update measurement: enough for a CPU time far above the clock's resolution. */
const METRIC_UPDATE_ROUNDS = 200_000;

/**
 * CPU time of the metric updates a worker makes for one successful first attempt (its start
 * delay, in flight up and down, its outcome and duration: what the run processor calls), µs,
 * measured directly: the difference between drains with and without metrics is too noisy to
 * resolve a cost of a few per cent.
 */
function metricUpdatesUsPerRun(): number {
  const metrics = new WorkerMetrics({ tasks: [TASK], concurrency: 1, processMetrics: false });
  const updateOnce = (): void => {
    metrics.startDelayed(TASK, 3);
    metrics.started(TASK);
    metrics.ended(TASK);
    metrics.finished(TASK, 'succeeded', 1);
  };
  for (let i = 0; i < METRIC_UPDATE_ROUNDS / 10; i++) updateOnce();
  const before = process.cpuUsage();
  for (let i = 0; i < METRIC_UPDATE_ROUNDS; i++) updateOnce();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / METRIC_UPDATE_ROUNDS;
}

/** The drain with the median CPU per run of several of the same variant. */
function medianByCpu(drains: readonly DrainResult[]): DrainResult {
  const sorted = [...drains].sort((a, b) => a.cpuUsPerRun - b.cpuUsPerRun);
  const median = sorted[Math.floor((sorted.length - 1) / 2)];
  if (!median) throw new Error('no drain to take the median of');
  return median;
}

/**
 * Worker overhead: no-op runs drained by a Sundial worker against a raw BullMQ Worker on the same
 * queue shape, at concurrency 1, 10 and 50; runs/s, time per run and the CPU cost of metrics.
 */
export const scenario: Scenario = {
  name: 'worker',
  title: 'Worker overhead',
  async run(ctx) {
    // Sundial's runs are enqueued by the coordinator (backfill), which takes a while: see the preload times in the data.
    const runs = ctx.quick ? 500 : 6_000;
    const repeats = ctx.quick ? 1 : 2;
    const results: DrainResult[] = [];
    const repeatsData: { concurrency: number; plain: DrainResult[]; metered: DrainResult[] }[] = [];
    for (const concurrency of CONCURRENCIES) {
      ctx.progress(`concurrency ${concurrency}: draining ${runs} no-op runs with each variant`);
      results.push(await drainRaw(ctx, concurrency, runs));
      const plain: DrainResult[] = [];
      const metered: DrainResult[] = [];
      // Alternated and repeated: the metrics cost is a small difference between two noisy figures.
      for (let repeat = 0; repeat < repeats; repeat++) {
        plain.push(await drainSundial(ctx, concurrency, runs, false));
        metered.push(await drainSundial(ctx, concurrency, runs, true));
      }
      results.push(medianByCpu(plain), medianByCpu(metered));
      repeatsData.push({ concurrency, plain, metered });
    }
    const metricUpdatesUs = metricUpdatesUsPerRun();
    ctx.progress(`metric updates: ${formatNumber(metricUpdatesUs)} µs of CPU per run`);
    const goals: GoalCheck[] = [];
    const sideBySide: (string | number)[][] = [];
    for (const concurrency of CONCURRENCIES) {
      const raw = results.find((r) => r.concurrency === concurrency && r.variant === 'BullMQ Worker');
      const plain = results.find((r) => r.concurrency === concurrency && r.variant === 'Sundial worker, no metrics');
      const metered = results.find((r) => r.concurrency === concurrency && r.variant === 'Sundial worker, metrics');
      if (!raw || !plain || !metered) continue;
      const addedP99 = metered.perRun.p99 - raw.perRun.p99;
      const metricsCost = (metered.cpuUsPerRun - plain.cpuUsPerRun) / plain.cpuUsPerRun;
      sideBySide.push([
        concurrency,
        formatNumber(raw.runsPerSecond),
        formatNumber(metered.runsPerSecond),
        formatRatio(metered.runsPerSecond, raw.runsPerSecond),
        formatNumber(addedP99),
        `${formatNumber(metricsCost * 100)} %`,
      ]);
      goals.push(
        { goal: `concurrency ${concurrency}: ≥ 90 % of raw BullMQ throughput`, figure: `${formatNumber(metered.runsPerSecond)} vs ${formatNumber(raw.runsPerSecond)} runs/s (${formatRatio(metered.runsPerSecond, raw.runsPerSecond)})`, met: metered.runsPerSecond >= 0.9 * raw.runsPerSecond },
        { goal: `concurrency ${concurrency}: added p99 per run ≤ 1 ms`, figure: `${formatNumber(metered.perRun.p99)} − ${formatNumber(raw.perRun.p99)} = ${formatNumber(addedP99)} ms`, met: addedP99 <= 1 },
        {
          goal: `concurrency ${concurrency}: metrics cost ≤ 5 % CPU`,
          figure: `${formatNumber(metricUpdatesUs)} µs of metric updates per run = ${formatNumber((metricUpdatesUs / plain.cpuUsPerRun) * 100)} % of ${formatNumber(plain.cpuUsPerRun)} µs CPU per run (drains with − without metrics: ${formatNumber(metricsCost * 100)} %)`,
          met: metricUpdatesUs / plain.cpuUsPerRun <= 0.05,
        },
      );
    }
    const commandNotes = results
      .filter((r) => r.concurrency === CONCURRENCIES[CONCURRENCIES.length - 1])
      .map((r) => {
        const callsPerRun = r.commands.reduce((sum, c) => sum + c.calls, 0) / Math.max(1, r.runs);
        return `Redis commands, ${r.variant} at concurrency ${r.concurrency}: ${callsPerRun.toFixed(1)} calls per run in all (scripts count once plus each command they run); ${describeCommandStats(r.commands, r.runs, 'run')}.`;
      });
    const preloads = repeatsData.flatMap((level) => [...level.plain, ...level.metered]).map((r) => r.preloadMs ?? Number.NaN);
    const preloadMedianMs = summarize(preloads).p50;
    commandNotes.push(`Enqueueing the backfilled Sundial runs (coordinator start, leadership, backfill of ${runs} fire times until all are in the queue) took ${formatNumber(preloadMedianMs / 1_000)} s (median), i.e. ${formatNumber(runs / (preloadMedianMs / 1_000))} runs/s; not part of the worker figures.`);
    return {
      tables: [
        {
          title: `Draining ${runs} preloaded no-op runs`,
          columns: ['Variant', 'Concurrency', 'Runs', 'Runs/s', 'Per run p50 (ms)', 'p95', 'p99', 'max', 'CPU per run (µs)'],
          rows: results.map((r) => [r.variant, r.concurrency, r.runs, formatNumber(r.runsPerSecond), formatNumber(r.perRun.p50), formatNumber(r.perRun.p95), formatNumber(r.perRun.p99), formatNumber(r.perRun.max), formatNumber(r.cpuUsPerRun)]),
        },
        { title: 'Side by side: Sundial worker (with metrics) against a raw BullMQ Worker', columns: ['Concurrency', 'BullMQ runs/s', 'Sundial runs/s', 'Ratio', 'Added p99 per run (ms)', 'Metrics CPU cost'], rows: sideBySide },
      ],
      goals,
      notes: [
        `Raw BullMQ: ${runs} jobs shaped like Sundial runs (same name, data and retention) added with addBulk, then a BullMQ Worker with a no-op processor drains them. Sundial: a paused schedule is backfilled over ${runs} past seconds (force, so every fire time is a real run with a run record), the coordinator (child process) enqueues them and is stopped, then startWorker with a no-op task drains them. Each variant has its own queue and keys, deleted afterwards; all run one after another on the same Redis.`,
        'Runs/s = runs ÷ (last job finishedOn − first job processedOn); per run = finishedOn − processedOn of each job (BullMQ\'s own millisecond stamps: the time from taking the job to completing it, i.e. everything the worker does around the handler). Added p99 = Sundial p99 − BullMQ p99 at the same concurrency.',
        'The workers run in the bench process and start on a paused queue; once a worker is ready the queue is resumed. CPU per run = the bench process\'s CPU time (process.cpuUsage) from the resume until all jobs completed, ÷ runs: the drain only, not the worker\'s start. It includes BullMQ\'s client work and the 20 ms completion poll, the same for every variant.',
        `Each Sundial variant is drained ${repeats} time(s), alternating with and without metrics; the tables show the drain with the median CPU per run.`,
        'Metrics cost: startWorker creates its prom-client metrics (WorkerMetrics) only when it serves HTTP (the `port` option; 0 picks a free port), so "no metrics" = no port and "metrics" = port 0, everything else equal; the table\'s "Metrics CPU cost" is (CPU per run with − without) ÷ without. Nothing scrapes /metrics during the drain. That difference moves by ±15 % from drain to drain, so the goal is judged on the updates measured directly: the WorkerMetrics calls a worker makes per successful run, ' + `${METRIC_UPDATE_ROUNDS.toLocaleString('en-US')} times in a loop, CPU time per run, against the CPU per run of the drain without metrics.`,
        'Sundial workers log at "warn" here; at the default "info" level each run also writes two log lines.',
        ...commandNotes,
      ],
      data: { runs, repeats, results, sundialRepeats: repeatsData, metricUpdatesUsPerRun: metricUpdatesUs },
    };
  },
};
