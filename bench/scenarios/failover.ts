import { join } from 'node:path';
import { SundialClient, namespaceKeys } from '@sundial/shared';
import { measureBullmqFailover, type BullmqFailoverFigures } from '../lib/failover-bullmq';
import { FailoverCluster } from '../lib/failover-cluster';
import { readFireLedger, type FireLedger } from '../lib/failover-ledger';
import { runFailoverTrial, type FailoverTrial } from '../lib/failover-trial';
import { spawnWorker, type BenchProcess } from '../lib/processes';
import type { Scenario, ScenarioContext } from '../lib/scenario';
import { summarize, type Summary } from '../lib/stats';

const LEASE_MS = 5_000;
const SIGKILL_GOAL_MS = LEASE_MS + 1_000;
const SIGTERM_GOAL_MS = 250;
/** Time between trials for the restarted replica to settle and the new leader to run steadily. */
const SETTLE_MS = 2_000;
/** Time after the last trial for the last fires to run before the ledger is read. */
const DRAIN_MS = 3_000;

interface SundialFigures {
  trials: FailoverTrial[];
  ledger: FireLedger;
}

async function measureSundial(ctx: ScenarioContext, trialsPerSignal: number): Promise<SundialFigures> {
  const namespace = ctx.redis.keyPrefixFor('failover');
  const keys = namespaceKeys(namespace);
  const redis = ctx.redis.connect();
  const client = new SundialClient({ connection: redis, namespace });
  const cluster = new FailoverCluster(ctx.redis.url, namespace, redis, keys);
  let worker: BenchProcess | undefined;
  try {
    ctx.progress('Sundial: starting two coordinators and a worker');
    await Promise.all([cluster.start('coordinator-a'), cluster.start('coordinator-b')]);
    worker = await spawnWorker(join(__dirname, '..', 'lib', 'failover-tasks.js'), { redisUrl: ctx.redis.url, namespace });
    await cluster.leader();
    const firstMs = Math.ceil(Date.now() / 1_000) * 1_000 + 2_000;
    await client.add({
      id: 'tick',
      task: 'failover-tick',
      trigger: { every: '1s', start: new Date(firstMs).toISOString() },
      coalesce: 'all',
      misfireGrace: '1m',
      overlap: 'allow',
    });
    await new Promise((resolve) => setTimeout(resolve, firstMs - Date.now() + SETTLE_MS));
    const trials: FailoverTrial[] = [];
    for (const signal of ['SIGKILL', 'SIGTERM'] as const) {
      for (let trial = 1; trial <= trialsPerSignal; trial++) {
        const result = await runFailoverTrial(cluster, redis, keys, signal);
        trials.push(result);
        ctx.progress(`  ${signal} ${trial}/${trialsPerSignal}: leaderless ${result.leaderlessMs} ms, gap ${result.gapMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
      }
    }
    const lastMs = Math.floor(Date.now() / 1_000) * 1_000 - 1_000;
    await new Promise((resolve) => setTimeout(resolve, DRAIN_MS));
    await client.pause('tick');
    const ledger = await readFireLedger(redis, { executions: `${namespace}:executions`, executed: `${namespace}:executed` }, firstMs, lastMs);
    return { trials, ledger };
  } finally {
    await worker?.stop();
    await cluster.stop();
    await client.close();
    redis.disconnect();
    await ctx.redis.deleteKeysOf(namespace);
  }
}

async function measureBullmq(ctx: ScenarioContext, trials: number, downtimeMs: number): Promise<BullmqFailoverFigures> {
  const prefix = ctx.redis.keyPrefixFor('failover-bullmq');
  const redis = ctx.redis.connect();
  try {
    ctx.progress(`BullMQ: a job scheduler (every 1 s) whose only worker is killed ${trials} times`);
    return await measureBullmqFailover({ redis, redisUrl: ctx.redis.url, prefix, trials, downtimeMs, settleMs: SETTLE_MS * 2, progress: ctx.progress });
  } finally {
    redis.disconnect();
    await ctx.redis.deleteKeysOf(prefix);
  }
}

const ms = (value: number) => `${Math.round(value).toLocaleString('en-US')} ms`;

function row(label: string, summary: Summary): (string | number)[] {
  return [label, summary.count, ms(summary.p50), ms(summary.p99), ms(summary.max)];
}

/**
 * Failover: two coordinators and a worker, an every-second schedule; the leader is SIGKILLed and
 * SIGTERMed over and over, and the gap until the new leader's first fire is measured, along with
 * lost and duplicate fires over the whole run. BullMQ Job Schedulers whose only worker is killed
 * for as long are the comparison.
 */
export const scenario: Scenario = {
  name: 'failover',
  title: 'Failover of the leader',
  async run(ctx) {
    const trialsPerSignal = ctx.quick ? 3 : 20;
    const sundial = await measureSundial(ctx, trialsPerSignal);
    const of = (signal: FailoverTrial['signal'], figure: 'gapMs' | 'leaderlessMs' | 'firstEnqueueMs') =>
      summarize(sundial.trials.filter((trial) => trial.signal === signal).map((trial) => trial[figure]));
    const killGap = of('SIGKILL', 'gapMs');
    const termGap = of('SIGTERM', 'gapMs');
    const killLeaderless = of('SIGKILL', 'leaderlessMs');
    const bullmqTrials = ctx.quick ? 2 : 5;
    const bullmq = await measureBullmq(ctx, bullmqTrials, Math.round(killLeaderless.p50));
    const { ledger } = sundial;

    return {
      tables: [
        {
          title: `Sundial: ${trialsPerSignal} trials per signal (lease ${LEASE_MS / 1_000} s)`,
          columns: ['Figure', 'Trials', 'p50', 'p99', 'max'],
          rows: [
            row('SIGKILL: gap (first fire by the new leader)', killGap),
            row('SIGKILL: leaderless (signal → leader.elected)', killLeaderless),
            row('SIGKILL: signal → first job added', of('SIGKILL', 'firstEnqueueMs')),
            row('SIGTERM: gap (first fire by the new leader)', termGap),
            row('SIGTERM: leaderless (signal → leader.elected)', of('SIGTERM', 'leaderlessMs')),
            row('SIGTERM: signal → first job added', of('SIGTERM', 'firstEnqueueMs')),
          ],
        },
        {
          title: 'Fires over the whole run (one per second expected)',
          columns: ['System', 'Kills', 'Slots', 'Lost / skipped', 'Duplicates', 'Late > 1 s', 'Lateness p99'],
          rows: [
            ['Sundial (2 coordinators, leader killed)', trialsPerSignal * 2, ledger.slots, ledger.lost, ledger.duplicates, ledger.late, ms(ledger.lateness.p99)],
            [`BullMQ Job Scheduler (worker killed, ${ms(bullmq.downtimeMs)} down)`, bullmq.trials, bullmq.slots, bullmq.skipped, bullmq.duplicates, bullmq.late, ms(bullmq.lateness.p99)],
          ],
        },
      ],
      goals: [
        { goal: `SIGKILL gap p99 ≤ lease + 1 s (${SIGKILL_GOAL_MS / 1_000} s)`, figure: `p99 = ${ms(killGap.p99)} (leaderless p99 = ${ms(killLeaderless.p99)})`, met: killGap.p99 <= SIGKILL_GOAL_MS },
        { goal: `SIGTERM gap p99 ≤ ${SIGTERM_GOAL_MS} ms`, figure: `p99 = ${ms(termGap.p99)}`, met: termGap.p99 <= SIGTERM_GOAL_MS },
        {
          goal: 'zero lost or duplicate fires',
          figure: `${ledger.lost} lost, ${ledger.duplicates} duplicate of ${ledger.slots} (BullMQ: ${bullmq.skipped} skipped, ${bullmq.duplicates} duplicate of ${bullmq.slots} over ${bullmq.trials} kills)`,
          met: ledger.lost === 0 && ledger.duplicates === 0,
        },
      ],
      notes: [
        'Setup: two `sundial coordinator` child processes (lease 5 s, renewal every 1 s, the defaults) and one `sundial-worker` child process on one namespace; one schedule `{ every: "1s" }` with `coalesce: all`, `misfireGrace: 1m`, `overlap: allow`. Each trial sends the signal to the leader, waits for the new leader and its first run, starts the killed replica again (so there are always two) and waits 2 s. SIGKILL trials first, then SIGTERM trials.',
        'Gap: for the first run the new leader enqueued (the earliest BullMQ job timestamp among runs recorded with the new epoch), the time from its due time or from the signal, whichever is later, to its BullMQ job timestamp: how late the takeover made the first fire it handled. Leaderless: signal → the new epoch\'s `leader.elected` event. Signal → first job added is shown as well (it includes the wait for the next due second).',
        'Clock base: the signal time (bench process), BullMQ job timestamps (coordinator processes), event times and run records (Redis TIME) all come from the one machine\'s clock.',
        'Lost / duplicate: the worker\'s task counts each execution per nominal fire time (HINCRBY); every nominal second from the first fire to the end of the last trial must have run exactly once. Lateness: when the task ran − the nominal fire time; the fires due while no leader runs (SIGKILL) are late by design, and run once a new leader is elected (`coalesce: all`).',
        `BullMQ: a Job Scheduler \`{ every: 1000 }\` and one BullMQ worker child process; ${bullmq.trials} times the worker is SIGKILLed, kept down for the Sundial SIGKILL leaderless p50 (${ms(bullmq.downtimeMs)}), started again and left to run 4 s. A slot counts as skipped when no job was planned for it; lateness is processed time − slot.`,
        ...(ledger.lostExamples.length > 0 ? [`First lost seconds: ${ledger.lostExamples.join(', ')}.`] : []),
      ],
      data: { sundial, bullmq },
    };
  },
};
