import type { Redis } from 'ioredis';
import { summarize, type Summary } from './stats';

/** Lost and duplicate fires of an every-second schedule over a span of nominal seconds. */
export interface FireLedger {
  /** Nominal seconds checked. */
  slots: number;
  /** Seconds that ran no time. */
  lost: number;
  /** Extra executions of seconds that ran more than once. */
  duplicates: number;
  /** The first lost seconds (ISO), to look into. */
  lostExamples: string[];
  /** Seconds that ran more than 1 s after their fire time. */
  late: number;
  /** When each second ran, after its fire time (the last execution of each), ms. */
  lateness: Summary;
}

const LATE_MS = 1_000;

/**
 * Checks that each nominal second in `[firstMs, lastMs]` (step 1 s) ran exactly once, from the
 * hashes the worker's task writes (fire time → count, fire time → when it ran).
 */
export async function readFireLedger(redis: Redis, keys: { executions: string; executed: string }, firstMs: number, lastMs: number): Promise<FireLedger> {
  const [counts, executed] = await Promise.all([redis.hgetall(keys.executions), redis.hgetall(keys.executed)]);
  const lateness: number[] = [];
  let slots = 0;
  let lost = 0;
  let duplicates = 0;
  const lostExamples: string[] = [];
  for (let slot = firstMs; slot <= lastMs; slot += 1_000) {
    slots += 1;
    const count = Number(counts[String(slot)] ?? 0);
    if (count === 0) {
      lost += 1;
      if (lostExamples.length < 5) lostExamples.push(new Date(slot).toISOString());
    }
    if (count > 1) duplicates += count - 1;
    const ranAt = executed[String(slot)];
    if (ranAt !== undefined) lateness.push(Number(ranAt) - slot);
  }
  return { slots, lost, duplicates, lostExamples, late: lateness.filter((value) => value > LATE_MS).length, lateness: summarize(lateness) };
}
