import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { spawnBullmqWorker, type BullmqWorkerProcess } from './failover-bullmq-process';
import { summarize, type Summary } from './stats';

/** How BullMQ Job Schedulers (`every: 1000`) fared while their only worker was down. */
export interface BullmqFailoverFigures {
  trials: number;
  downtimeMs: number;
  /** One-second slots from the first job to the last. */
  slots: number;
  /** Slots no job was planned for. */
  skipped: number;
  /** Jobs processed more than 1 s after their slot. */
  late: number;
  /** Slots processed more than once. */
  duplicates: number;
  /** Lateness (processed − slot) of every job, ms. */
  lateness: Summary;
}

const SLOT_MS = 1_000;
const LATE_MS = 1_000;

/**
 * A queue with one job scheduler (`every: 1000`) and one worker child process; `trials` times,
 * SIGKILLs the worker, waits `downtimeMs`, starts it again and lets it run `settleMs`.
 */
export async function measureBullmqFailover(options: {
  redis: Redis;
  redisUrl: string;
  prefix: string;
  trials: number;
  downtimeMs: number;
  settleMs: number;
  progress: (line: string) => void;
}): Promise<BullmqFailoverFigures> {
  const { redis, redisUrl, prefix, trials, downtimeMs, settleMs } = options;
  const recordKey = `${prefix}:processed`;
  const queue = new Queue('ticks', { connection: redis, prefix });
  let worker: BullmqWorkerProcess | undefined;
  try {
    await queue.upsertJobScheduler('tick', { every: SLOT_MS }, { name: 'tick' });
    worker = await spawnBullmqWorker({ redisUrl, queue: 'ticks', prefix, recordKey });
    await new Promise((resolve) => setTimeout(resolve, settleMs));
    for (let trial = 1; trial <= trials; trial++) {
      options.progress(`  BullMQ trial ${trial}/${trials}: SIGKILL the worker, ${downtimeMs} ms down`);
      worker.kill('SIGKILL');
      await worker.exited;
      await new Promise((resolve) => setTimeout(resolve, downtimeMs));
      worker = await spawnBullmqWorker({ redisUrl, queue: 'ticks', prefix, recordKey });
      await new Promise((resolve) => setTimeout(resolve, settleMs));
    }
    await queue.removeJobScheduler('tick');
  } finally {
    if (worker) {
      worker.kill('SIGTERM');
      await worker.exited;
    }
    await queue.close();
  }
  const records = (await redis.lrange(recordKey, 0, -1)).map((line) => line.split(' ').map(Number) as [number, number]);
  const bySlot = new Map<number, number>();
  for (const [slot] of records) bySlot.set(slot, (bySlot.get(slot) ?? 0) + 1);
  const slotTimes = [...bySlot.keys()].sort((a, b) => a - b);
  const firstSlot = slotTimes[0] ?? 0;
  const lastSlot = slotTimes[slotTimes.length - 1] ?? -SLOT_MS;
  const slots = Math.round((lastSlot - firstSlot) / SLOT_MS) + 1;
  const lateness = records.map(([slot, processed]) => processed - slot);
  return {
    trials,
    downtimeMs,
    slots,
    skipped: slots - slotTimes.length,
    late: lateness.filter((value) => value > LATE_MS).length,
    duplicates: [...bySlot.values()].reduce((sum, count) => sum + count - 1, 0),
    lateness: summarize(lateness),
  };
}
