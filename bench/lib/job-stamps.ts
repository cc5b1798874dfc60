import type { Redis } from 'ioredis';
import type { FirstCall } from './fire-recorder';
import { summarize, type Summary } from './stats';

/** Where the lateness of handled fires goes, from the BullMQ jobs' own time stamps (ms). */
export interface LatenessBreakdown {
  /** Jobs found (retention kept them). */
  jobs: number;
  /** Job `timestamp` (added to the queue) − nominal fire time. */
  added: Summary;
  /** Job `processedOn` (taken by a worker) − nominal fire time. */
  taken: Summary;
  /** Handler start − job `processedOn`: the worker's own work before the handler. */
  handlerAfterTaken: Summary;
}

const PIPELINE_CHUNK = 10_000;

/**
 * Reads `timestamp` and `processedOn` of the job of every first call (job id = `call.key`) and
 * splits the lateness into its parts. Read-only.
 */
export async function latenessBreakdown(redis: Redis, jobKeyPrefix: string, calls: readonly FirstCall[]): Promise<LatenessBreakdown> {
  const added: number[] = [];
  const taken: number[] = [];
  const handler: number[] = [];
  for (let i = 0; i < calls.length; i += PIPELINE_CHUNK) {
    const chunk = calls.slice(i, i + PIPELINE_CHUNK);
    const pipeline = redis.pipeline();
    for (const call of chunk) pipeline.hmget(`${jobKeyPrefix}${call.key}`, 'timestamp', 'processedOn');
    const answers = (await pipeline.exec()) ?? [];
    answers.forEach(([error, value], j) => {
      const call = chunk[j];
      const [timestamp, processedOn] = error ? [] : ((value as (string | null)[]) ?? []);
      if (!call || !timestamp || !processedOn) return;
      added.push(Number(timestamp) - call.nominalMs);
      taken.push(Number(processedOn) - call.nominalMs);
      handler.push(call.startedMs - Number(processedOn));
    });
  }
  return { jobs: added.length, added: summarize(added), taken: summarize(taken), handlerAfterTaken: summarize(handler) };
}
