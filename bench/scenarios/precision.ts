import { SundialClient, namespaceKeys } from '@sundial/shared';
import { defineTask, startWorker } from '@sundial/worker';
import { Queue, Worker } from 'bullmq';
import { EARLY_TOLERANCE_MS, FireRecorder, SLOW_INSTANT_MS, type FireTally } from '../lib/fire-recorder';
import { latenessBreakdown, type LatenessBreakdown } from '../lib/job-stamps';
import type { Scenario, ScenarioContext, GoalCheck, ReportTable } from '../lib/scenario';
import { formatNumber, formatRatio, percentileCells } from '../lib/stats';
import { quietLogger, startLeader } from '../lib/sundial-cluster';
import { forEachLimited, nextSecondBoundary, sleepUntil } from '../lib/wait';

/** Worker concurrency of both systems: high enough that a no-op handler never waits for a slot. */
const CONCURRENCY = 100;
/** Seconds of firing before the window opens (the first fires after a start are not measured). */
const WARMUP_SECONDS = 2;
/** How long after the window closes late fires are still counted. */
const GRACE_MS = 3_000;
const TASK = 'bench-noop';
const QUEUE = 'precision';
/**
 * The coordinator lookahead of the second Sundial variant: fire times committed and handed over
 * this far ahead. A BullMQ worker fetches jobs one after another, so the lookahead must leave it
 * time to take a whole second's fires before they are due.
 */
const LOOKAHEAD = '1s';
/** Runs the worker of that variant may hold per schedule: with a 1 s lookahead and a 1 s period, up to two fire times each. */
const PREFETCH_PER_SCHEDULE = 2;
const SUNDIAL = 'Sundial';
const SUNDIAL_LOOKAHEAD = `Sundial, --lookahead ${LOOKAHEAD}, worker prefetch`;

interface PhaseResult extends FireTally {
  system: string;
  schedules: number;
  /** CPU time of the coordinator child process in the window, ms per second (Sundial only). */
  coordinatorCpuMsPerSecond?: number;
  /** Where the lateness goes, from the jobs' time stamps. */
  breakdown: LatenessBreakdown;
}

function scheduleIds(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `precision-${String(i).padStart(5, '0')}`);
}

/**
 * Sundial with defaults, or with a lookahead: then the overlap policy is `allow`, since with a
 * lookahead overlap is judged when a run is committed, before the previous second's run is done.
 */
async function measureSundial(ctx: ScenarioContext, schedules: number, durationMs: number, lookahead: boolean): Promise<PhaseResult> {
  const namespace = ctx.redis.keyPrefixFor(`precision-sundial-${lookahead ? 'lookahead-' : ''}${schedules}`);
  const recorder = new FireRecorder();
  const coordinator = await startLeader({ redisUrl: ctx.redis.url, namespace, args: lookahead ? ['--lookahead', LOOKAHEAD] : [] });
  const client = new SundialClient({ connection: ctx.redis.url, namespace });
  const task = defineTask({ name: TASK, handler: (run) => recorder.record(run.runId, run.fireTime.getTime(), Date.now()) });
  // With a lookahead, runs are handed over ahead and the worker may hold a whole second's fires until their time.
  const worker = await startWorker({ connection: ctx.redis.url, namespace, tasks: [task], concurrency: CONCURRENCY, ...(lookahead && { prefetch: PREFETCH_PER_SCHEDULE * schedules }), logger: quietLogger() });
  const reader = ctx.redis.connect();
  try {
    await client.addMany(scheduleIds(schedules).map((id) => ({ id, task: TASK, trigger: { every: '1s' }, ...(lookahead && { overlap: 'allow' as const }) })));
    const startMs = nextSecondBoundary(Date.now(), WARMUP_SECONDS);
    recorder.setWindow(startMs, startMs + durationMs);
    ctx.progress(`${lookahead ? SUNDIAL_LOOKAHEAD : SUNDIAL}, ${schedules} schedules: measuring fires from ${new Date(startMs).toISOString()} for ${durationMs / 1_000} s`);
    await sleepUntil(startMs);
    const cpuBefore = await coordinator.usage();
    await sleepUntil(startMs + durationMs);
    const cpuAfter = await coordinator.usage();
    await sleepUntil(startMs + durationMs + GRACE_MS);
    const breakdown = await latenessBreakdown(reader, `${namespaceKeys(namespace).bullPrefix}:default:`, recorder.firstCalls());
    return { system: lookahead ? SUNDIAL_LOOKAHEAD : SUNDIAL, schedules, ...recorder.tally(schedules), coordinatorCpuMsPerSecond: (cpuAfter.cpuMs - cpuBefore.cpuMs) / (durationMs / 1_000), breakdown };
  } finally {
    reader.disconnect();
    await worker.close();
    await client.close();
    await coordinator.stop();
    await ctx.redis.discard(namespace);
  }
}

/** The nominal fire time of a BullMQ job scheduler's job: its id is `repeat:<schedulerId>:<slot millis>`. */
function bullmqSlotMs(jobId: string | undefined): number {
  return Number(jobId?.slice(jobId.lastIndexOf(':') + 1));
}

async function measureBullmq(ctx: ScenarioContext, schedules: number, durationMs: number): Promise<PhaseResult> {
  const prefix = ctx.redis.keyPrefixFor(`precision-bullmq-${schedules}`);
  const recorder = new FireRecorder();
  const queueConnection = ctx.redis.connect();
  const workerConnection = ctx.redis.connect();
  const queue = new Queue(QUEUE, { connection: queueConnection, prefix });
  const worker = new Worker(QUEUE, async (job) => recorder.record(job.id ?? '', bullmqSlotMs(job.id), Date.now()), { connection: workerConnection, prefix, concurrency: CONCURRENCY });
  worker.on('error', (error) => ctx.progress(`BullMQ worker error: ${error.message}`));
  try {
    await worker.waitUntilReady();
    // Every scheduler starts at the same whole second (the worst case, as for Sundial); upserting
    // must finish before it, or BullMQ clamps the first slot to "now" and the slots are not aligned.
    const upsertStarted = Date.now();
    const firstSlotMs = nextSecondBoundary(upsertStarted, 1 + Math.ceil(schedules / 500));
    await forEachLimited(scheduleIds(schedules), 200, async (id) => {
      await queue.upsertJobScheduler(id, { every: 1_000, startDate: firstSlotMs }, { name: TASK, data: { scheduleId: id }, opts: { removeOnComplete: { age: 86_400 } } });
    });
    if (Date.now() >= firstSlotMs) ctx.progress(`BullMQ, ${schedules} schedules: upserting took longer than planned; the first slot was clamped`);
    const startMs = firstSlotMs + WARMUP_SECONDS * 1_000;
    recorder.setWindow(startMs, startMs + durationMs);
    ctx.progress(`BullMQ, ${schedules} job schedulers: measuring fires from ${new Date(startMs).toISOString()} for ${durationMs / 1_000} s`);
    await sleepUntil(startMs + durationMs + GRACE_MS);
    const breakdown = await latenessBreakdown(queueConnection, `${prefix}:${QUEUE}:`, recorder.firstCalls());
    return { system: 'BullMQ', schedules, ...recorder.tally(schedules), breakdown };
  } finally {
    await worker.close();
    await queue.close();
    queueConnection.disconnect();
    workerConnection.disconnect();
    await ctx.redis.discard(prefix);
  }
}

function breakdownTable(results: readonly PhaseResult[]): ReportTable {
  return {
    title: 'Where the lateness goes (p50 / p99, ms, from the BullMQ jobs\' time stamps)',
    columns: ['System', 'Schedules', 'Job added − nominal', 'Taken by worker − nominal', 'Handler start − taken'],
    rows: results.map((r) => [
      r.system,
      r.schedules,
      r.system === 'BullMQ' ? '(created ~1 s ahead, delayed)' : `${formatNumber(r.breakdown.added.p50)} / ${formatNumber(r.breakdown.added.p99)}`,
      `${formatNumber(r.breakdown.taken.p50)} / ${formatNumber(r.breakdown.taken.p99)}`,
      `${formatNumber(r.breakdown.handlerAfterTaken.p50)} / ${formatNumber(r.breakdown.handlerAfterTaken.p99)}`,
    ]),
  };
}

function latenessTable(results: readonly PhaseResult[], durationMs: number): ReportTable {
  return {
    title: `Lateness of handler start after the nominal fire time (ms), schedules firing every second for ${durationMs / 1_000} s`,
    columns: ['System', 'Schedules', 'Fires expected', 'Fires handled', 'p50', 'p95', 'p99', 'max', 'Lost', 'Duplicates', 'Early', `Seconds > ${SLOW_INSTANT_MS} ms`, 'Coordinator CPU'],
    rows: results.map((r) => [
      r.system,
      r.schedules,
      r.expected,
      r.handled,
      ...percentileCells(r.lateness),
      r.lost,
      r.duplicates,
      r.early,
      `${r.slowInstants} of ${r.instants}${r.worstInstant && r.slowInstants > 0 ? ` (worst: ${formatNumber(r.worstInstant.latenessMs)} ms at ${r.worstInstant.atS} s)` : ''}`,
      r.coordinatorCpuMsPerSecond === undefined ? '–' : `${formatNumber(r.coordinatorCpuMsPerSecond / 10)} %`,
    ]),
  };
}

/**
 * Fire precision: N schedules firing every second, all at the same second boundary; lateness of
 * the handler start after the nominal fire time, lost and duplicate fires; Sundial against BullMQ
 * job schedulers on the same Redis.
 */
export const scenario: Scenario = {
  name: 'precision',
  title: 'Fire precision',
  async run(ctx) {
    const sizes = [200, 2_000];
    const durationMs = ctx.quick ? 10_000 : 60_000;
    const results: PhaseResult[] = [];
    for (const schedules of sizes) {
      results.push(await measureSundial(ctx, schedules, durationMs, false));
      results.push(await measureSundial(ctx, schedules, durationMs, true));
      results.push(await measureBullmq(ctx, schedules, durationMs));
    }
    const goals: GoalCheck[] = [];
    const ratioRows: (string | number)[][] = [];
    for (const schedules of sizes) {
      const bullmq = results.find((r) => r.system === 'BullMQ' && r.schedules === schedules);
      for (const system of [SUNDIAL, SUNDIAL_LOOKAHEAD]) {
        const sundial = results.find((r) => r.system === system && r.schedules === schedules);
        if (!sundial || !bullmq) continue;
        const p99 = sundial.lateness.p99;
        ratioRows.push([system, schedules, formatNumber(p99), formatNumber(bullmq.lateness.p99), formatRatio(p99, bullmq.lateness.p99), sundial.lost, bullmq.lost, sundial.duplicates, bullmq.duplicates]);
        goals.push(
          { goal: `${schedules} schedules: ${system} p99 lateness ≤ 25 ms`, figure: `${formatNumber(p99)} ms`, met: p99 <= 25 },
          { goal: `${schedules} schedules: ${system} p99 ≤ ¼ of BullMQ p99`, figure: `${formatNumber(p99)} ms vs ${formatNumber(bullmq.lateness.p99)} ms (${formatRatio(p99, bullmq.lateness.p99)})`, met: p99 <= bullmq.lateness.p99 / 4 },
          { goal: `${schedules} schedules: ${system}: zero lost fires`, figure: `${sundial.lost} of ${sundial.expected} lost`, met: sundial.lost === 0 },
          { goal: `${schedules} schedules: ${system}: zero duplicate fires`, figure: `${sundial.duplicates} duplicates`, met: sundial.duplicates === 0 },
          { goal: `${schedules} schedules: ${system}: no handler started before its fire time`, figure: `${sundial.early} early`, met: sundial.early === 0 },
        );
      }
    }
    return {
      tables: [
        latenessTable(results, durationMs),
        breakdownTable(results),
        { title: 'Side by side: Sundial p99 / BullMQ p99', columns: ['Sundial', 'Schedules', 'Sundial p99 (ms)', 'BullMQ p99 (ms)', 'Ratio', 'Sundial lost', 'BullMQ lost', 'Sundial duplicates', 'BullMQ duplicates'], rows: ratioRows },
      ],
      goals,
      notes: [
        `Every schedule fires every second (Sundial {"every": "1s"}, aligned on the Unix epoch; BullMQ upsertJobScheduler(id, { every: 1000, startDate }) with startDate on a whole second), so all N fire at the same instant: the worst case.`,
        `Lateness = handler start (Date.now() in the handler) − nominal fire time: Sundial's ctx.fireTime; for BullMQ the slot in the job id "repeat:<schedulerId>:<slot ms>". Only fire times in the ${durationMs / 1_000} s window after a ${WARMUP_SECONDS} s warm-up count; handlers starting up to ${GRACE_MS / 1_000} s after the window still count.`,
        `"${SUNDIAL_LOOKAHEAD}": the coordinator commits fire times ${LOOKAHEAD} ahead and hands their jobs to BullMQ at once, carrying their time; the worker (prefetch ${PREFETCH_PER_SCHEDULE} × the number of schedules, concurrency still ${CONCURRENCY}) takes them ahead and holds each until its time, so only starting the handler is left at the fire time. Its schedules use overlap "allow", because with a lookahead the overlap policy is judged at commit time. "${SUNDIAL}" uses the defaults (no lookahead, no prefetch, overlap "skip").`,
        `Lost = schedules × seconds in the window − distinct fire times handled; duplicates = handler calls beyond the first for the same run id (Sundial) or job id (BullMQ); early = handlers started more than ${EARLY_TOLERANCE_MS} ms before their nominal time (runs handed over ahead must be held until then).`,
        `Seconds > ${SLOW_INSTANT_MS} ms = the nominal instants (every schedule fires at each whole second of the window) at which at least one handler started more than ${SLOW_INSTANT_MS} ms late, with the worst instant: whether a tail comes from every second or from a few.`,
        `Sundial: the coordinator runs as a child process (\`sundial coordinator\`); the worker (startWorker, concurrency ${CONCURRENCY}, no-op handler) runs in the bench process. BullMQ: Queue + Worker (concurrency ${CONCURRENCY}, no-op processor) in the bench process; its next job is created by the worker when it takes the current one.`,
        'The two systems run one after the other on the same Redis (not at once, so they do not compete for the CPUs); the keys of each phase are deleted before the next. Coordinator CPU is the coordinator process\'s CPU time in the window (100 % = one core).',
      ],
      data: { durationMs, concurrency: CONCURRENCY, warmupSeconds: WARMUP_SECONDS, results },
    };
  },
};
