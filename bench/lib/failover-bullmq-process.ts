import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { BULLMQ_WORKER_READY } from './failover-bullmq-worker';
import { readProcessUsage, type ProcessUsage } from './proc-usage';

/** A BullMQ worker child process (bench/lib/failover-bullmq-worker.ts). */
export interface BullmqWorkerProcess {
  readonly pid: number;
  kill(signal: NodeJS.Signals): void;
  usage(): Promise<ProcessUsage>;
  readonly exited: Promise<void>;
}

const READY_TIMEOUT_MS = 20_000;

/** Starts a BullMQ worker child on `queue` and resolves once it takes jobs. */
export async function spawnBullmqWorker(options: { redisUrl: string; queue: string; prefix: string; recordKey?: string }): Promise<BullmqWorkerProcess> {
  const child: ChildProcess = spawn(process.execPath, [join(__dirname, 'failover-bullmq-worker.js')], {
    env: { ...process.env, REDIS_URL: options.redisUrl, BENCH_QUEUE: options.queue, BENCH_PREFIX: options.prefix, BENCH_RECORD_KEY: options.recordKey ?? '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the BullMQ worker was not ready within ${READY_TIMEOUT_MS} ms: ${output}`)), READY_TIMEOUT_MS);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(BULLMQ_WORKER_READY)) {
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`the BullMQ worker exited before it was ready: ${output}`));
    });
  });
  return {
    pid: child.pid ?? -1,
    kill: (signal) => void child.kill(signal),
    usage: () => readProcessUsage(child.pid ?? -1),
    exited,
  };
}
