import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { SCALE_FIRES_PER_SECOND } from './scale-sundial';

/** Job schedulers upserted at once (in flight together on one connection). */
const UPSERT_CONCURRENCY = 1_000;

/**
 * Upserts `total` BullMQ job schedulers (`every`, offsets spread like the Sundial schedules, so
 * the population produces the same fires per second) on `queue`; returns the wall time taken.
 */
export async function createJobSchedulers(connection: Redis, prefix: string, queueName: string, total: number, progress: (line: string) => void): Promise<number> {
  const queue = new Queue(queueName, { connection, prefix });
  const periodMs = Math.round((total / SCALE_FIRES_PER_SECOND) * 1_000);
  const stepMs = periodMs / total;
  try {
    await queue.waitUntilReady();
    const started = performance.now();
    for (let from = 0; from < total; from += UPSERT_CONCURRENCY) {
      const upserts: Promise<unknown>[] = [];
      for (let index = from; index < Math.min(total, from + UPSERT_CONCURRENCY); index++) {
        upserts.push(queue.upsertJobScheduler(`s-${index}`, { every: periodMs, offset: Math.round(index * stepMs) }, { name: 'scale-report', data: { tenant: index } }));
      }
      await Promise.all(upserts);
      if ((from + UPSERT_CONCURRENCY) % 100_000 === 0) progress(`  BullMQ: upserted ${(from + UPSERT_CONCURRENCY).toLocaleString('en-US')} of ${total.toLocaleString('en-US')} job schedulers`);
    }
    const elapsedMs = performance.now() - started;
    const count = await queue.getJobSchedulersCount();
    if (count !== total) throw new Error(`BullMQ holds ${count} job schedulers, not ${total}`);
    return elapsedMs;
  } finally {
    await queue.close();
  }
}
