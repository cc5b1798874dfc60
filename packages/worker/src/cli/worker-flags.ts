import { DURATION_FORMS, ValidationError, formatDuration, parseDuration, type NamespacesFlags } from '@sundial/shared';
import type { WorkerOptions } from '../worker-options';

/** The flags of `sundial-worker`, as commander parses them. */
export interface WorkerFlags extends NamespacesFlags {
  /** `--tasks MODULE`: the module whose exports are the task definitions. */
  tasks: string;
  /** `--concurrency N`: runs at once in this process. */
  concurrency?: string;
  /** `--prefetch N`: runs taken on top of the concurrency, held until their time or a free slot. */
  prefetch?: string;
  /** `--queues a,b`: the queues to serve instead of those of the tasks. */
  queues?: string;
  /** `--shutdown-grace DURATION`: how long in-flight runs may go on after SIGTERM. */
  shutdownGrace?: string;
  /** `--stalled-interval DURATION`: how soon a dead worker's runs are taken over. */
  stalledInterval?: string;
  /** `--port N`: serve `/metrics`, `/healthz` and `/readyz` on this port (0 picks a free one). @defaultValue {@link DEFAULT_WORKER_PORT} */
  port?: string;
}

/** The worker options the tuning flags set. */
export type WorkerTuning = Pick<WorkerOptions, 'concurrency' | 'prefetch' | 'queues' | 'shutdownGraceMs' | 'stalledIntervalMs' | 'port'>;

/** The port `sundial-worker` serves `/metrics`, `/healthz` and `/readyz` on without `--port` (Prometheus' registered port for Node.js exporters). */
export const DEFAULT_WORKER_PORT = 9464;

/** Worker options, as `resolveWorkerOptions` names them, and the flag or variable that sets each. */
const FLAG_OF_OPTION: Readonly<Record<string, string>> = {
  concurrency: '--concurrency',
  prefetch: '--prefetch',
  queues: '--queues',
  shutdownGraceMs: '--shutdown-grace',
  stalledIntervalMs: '--stalled-interval',
  port: '--port',
  namespace: 'SUNDIAL_NAMESPACE',
  connection: 'REDIS_URL',
};

/**
 * A `--port` value: a whole number from 0 to 65535 (0 picks a free port).
 *
 * @throws ValidationError naming the flag
 */
export function parsePortFlag(value: string, flag: string): number {
  const text = value.trim();
  const port = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(port) || port > 65_535) throw new ValidationError(flag, `expected a port number from 0 to 65535, got ${JSON.stringify(value)}`);
  return port;
}

function wholeNumberFlag(value: string, flag: string, min: number): number {
  const text = value.trim();
  const number = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(number) || number < min) throw new ValidationError(flag, `expected a whole number of at least ${min}, got ${JSON.stringify(value)}`);
  return number;
}

function durationFlag(value: string, flag: string, minMs: number): number {
  const ms = parseDuration(value);
  if (ms === undefined || !Number.isSafeInteger(ms) || ms < minMs) {
    throw new ValidationError(flag, `expected ${DURATION_FORMS}, at least ${formatDuration(minMs)}; got ${JSON.stringify(value)}`);
  }
  return ms;
}

/**
 * The options the tuning flags give; those not given keep the worker's defaults, except the
 * port, which is {@link DEFAULT_WORKER_PORT} without `--port`.
 *
 * @throws ValidationError naming the flag
 */
export function workerTuningFromFlags(flags: WorkerFlags): WorkerTuning {
  const tuning: WorkerTuning = {};
  if (flags.concurrency !== undefined) tuning.concurrency = wholeNumberFlag(flags.concurrency, '--concurrency', 1);
  if (flags.prefetch !== undefined) tuning.prefetch = wholeNumberFlag(flags.prefetch, '--prefetch', 0);
  if (flags.queues !== undefined) {
    const queues = flags.queues.split(',').map((queue) => queue.trim());
    if (queues.some((queue) => queue === '')) throw new ValidationError('--queues', `expected queue names separated by commas, e.g. "default,reports", got ${JSON.stringify(flags.queues)}`);
    tuning.queues = queues;
  }
  if (flags.shutdownGrace !== undefined) tuning.shutdownGraceMs = durationFlag(flags.shutdownGrace, '--shutdown-grace', 0);
  if (flags.stalledInterval !== undefined) tuning.stalledIntervalMs = durationFlag(flags.stalledInterval, '--stalled-interval', 100);
  tuning.port = flags.port === undefined ? DEFAULT_WORKER_PORT : parsePortFlag(flags.port, '--port');
  return tuning;
}

/** A worker option error restated in terms of its flag or variable, e.g. `concurrency: ...` as `--concurrency: ...`. */
export function workerErrorInFlagTerms(error: unknown): unknown {
  if (!(error instanceof ValidationError)) return error;
  const flag = FLAG_OF_OPTION[error.field];
  return flag === undefined ? error : new ValidationError(flag, error.problem, { cause: error });
}
