/**
 * A BullMQ worker run as a child process (`node failover-bullmq-worker.js`), the counterpart of a
 * Sundial worker in the failover and scale comparisons. It reads `REDIS_URL`, `BENCH_QUEUE` and
 * `BENCH_PREFIX`, and for each job appends `<slotMs> <processedMs>` to the list `BENCH_RECORD_KEY`
 * (when given), where the slot is the time the job scheduler planned it for. Prints "ready" once
 * the worker runs; exits on SIGTERM.
 */
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';

/** The line the worker prints on stdout once it takes jobs. */
export const BULLMQ_WORKER_READY = 'ready';

async function main(): Promise<void> {
  const { REDIS_URL: url, BENCH_QUEUE: queue, BENCH_PREFIX: prefix, BENCH_RECORD_KEY: recordKey } = process.env;
  if (!url || !queue || !prefix) throw new Error('REDIS_URL, BENCH_QUEUE and BENCH_PREFIX must be set');
  const connection = new Redis(url, { maxRetriesPerRequest: null });
  const worker = new Worker(
    queue,
    async (job) => {
      if (recordKey) await connection.rpush(recordKey, `${job.timestamp + (job.opts.delay ?? 0)} ${Date.now()}`);
    },
    { connection, prefix, concurrency: 10 },
  );
  await worker.waitUntilReady();
  process.stdout.write(`${BULLMQ_WORKER_READY}\n`);
  process.once('SIGTERM', () => {
    void worker
      .close()
      .then(() => connection.quit())
      .finally(() => process.exit(0));
  });
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
