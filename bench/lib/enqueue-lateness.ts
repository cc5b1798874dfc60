import { scheduledRunId, type RedisConnection } from '@sundial/shared';

/** The lateness bound under which a fire rate counts as sustained: p99 enqueue lateness ≤ this, ms. */
export const P99_BOUND_MS = 100;
/** How long after the window a fire may still be enqueued and count (as late), ms. */
export const GRACE_MS = 2_000;
/** Schedules whose jobs are read back from Redis per step, spread evenly over all. */
export const MAX_SAMPLED_SCHEDULES = 2_000;

/** What reading back the jobs of sampled fire times found. */
export interface EnqueueSample {
  /** Fire times sampled (sampled schedules × seconds in the window). */
  sampled: number;
  /** Sampled fire times with no job. */
  missing: number;
  /** Enqueue lateness (job timestamp − nominal fire time) of the jobs found, ms. */
  latenessMs: number[];
}

/** A whole second long past: the start each spread schedule's phase is counted from. */
const PHASE_BASE_MS = Date.parse('2026-01-01T00:00:00Z');

/** Where in each second schedule `index` of `schedules` fires: spread evenly over the second, in whole ms. */
export function phaseMs(index: number, schedules: number): number {
  return Math.floor((index * 1_000) / schedules);
}

/**
 * The trigger of schedule `index` of `schedules` firing every second with their phases spread
 * evenly over the second: a sustained rate of `schedules` fires per second rather than a burst.
 */
export function spreadEverySecond(index: number, schedules: number): { every: string; start: string } {
  return { every: '1s', start: new Date(PHASE_BASE_MS + phaseMs(index, schedules)).toISOString() };
}

/** Up to `max` indexes of `0 .. schedules - 1`, spread evenly. */
export function sampleIndexes(schedules: number, max = MAX_SAMPLED_SCHEDULES): number[] {
  const count = Math.min(schedules, max);
  return Array.from({ length: count }, (_, i) => Math.floor((i * schedules) / count));
}

/**
 * Reads the BullMQ `timestamp` (when the coordinator added the job) of every fire in
 * `[startMs, endMs)` of the schedules `scheduleIds` (every second, `phaseMsOf(id)` after the whole
 * second), whose jobs are `<jobKeyPrefix><runId>`. One pipeline; on a cluster every key must share
 * one slot (one namespace). Read-only.
 */
export async function readEnqueueLateness(
  reader: RedisConnection,
  jobKeyPrefix: string,
  scheduleIds: readonly string[],
  startMs: number,
  endMs: number,
  phaseMsOf: (id: string) => number = () => 0,
): Promise<EnqueueSample> {
  const pipeline = reader.pipeline();
  // The nominal time of each command in the pipeline, in the same order.
  const nominals: number[] = [];
  for (const id of scheduleIds) {
    for (let nominal = startMs + phaseMsOf(id); nominal < endMs; nominal += 1_000) {
      pipeline.hget(`${jobKeyPrefix}${scheduledRunId(id, nominal)}`, 'timestamp');
      nominals.push(nominal);
    }
  }
  const answers = (await pipeline.exec()) ?? [];
  const latenessMs: number[] = [];
  let missing = 0;
  answers.forEach(([error, value], i) => {
    if (error || value === null || value === undefined) missing++;
    else latenessMs.push(Number(value) - (nominals[i] ?? Number.NaN));
  });
  return { sampled: answers.length, missing, latenessMs };
}
