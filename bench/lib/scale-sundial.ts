import type { ScheduleInput, SundialClient } from '@sundial/shared';
import { summarize, type Summary } from './stats';

/** Fires per second each population of schedules produces, whatever its size, so the coordinator's load is the same. */
export const SCALE_FIRES_PER_SECOND = 2;
/** Schedules per `addMany` call: large enough to measure the bulk path, small enough to keep the input list in memory. */
export const ADD_MANY_CHUNK = 100_000;

/**
 * Schedules `from`..`from + count - 1` of a population of `total`: each fires every
 * `total / SCALE_FIRES_PER_SECOND` seconds, and their start times are spread evenly over one
 * period from `baseMs`, so the population produces {@link SCALE_FIRES_PER_SECOND} fires a second.
 */
export function scaleInputs(prefix: string, from: number, count: number, total: number, baseMs: number): ScheduleInput[] {
  const periodMs = Math.round((total / SCALE_FIRES_PER_SECOND) * 1_000);
  const stepMs = periodMs / total;
  return Array.from({ length: count }, (_, offset) => {
    const index = from + offset;
    return {
      id: `${prefix}-${index}`,
      task: 'scale-report',
      trigger: { every: periodMs, start: new Date(baseMs + Math.round(index * stepMs)).toISOString() },
      data: { tenant: index },
    };
  });
}

/** Creates `total` schedules through `addMany`, {@link ADD_MANY_CHUNK} at a time; returns the wall time taken. */
export async function createSchedules(client: SundialClient, prefix: string, total: number, baseMs: number, progress: (line: string) => void): Promise<number> {
  let elapsedMs = 0;
  for (let from = 0; from < total; from += ADD_MANY_CHUNK) {
    const inputs = scaleInputs(prefix, from, Math.min(ADD_MANY_CHUNK, total - from), total, baseMs);
    const started = performance.now();
    const result = await client.addMany(inputs);
    elapsedMs += performance.now() - started;
    if (result.created !== inputs.length) throw new Error(`addMany created ${result.created} of ${inputs.length} schedules`);
    progress(`  created ${Math.min(from + ADD_MANY_CHUNK, total).toLocaleString('en-US')} of ${total.toLocaleString('en-US')} schedules`);
  }
  return elapsedMs;
}

/** Times `list({ limit: 100 })` for the first page and for a page from the middle (its cursor is the offset). */
export async function timeListing(client: SundialClient, total: number, repeats: number): Promise<{ first: Summary; middle: Summary }> {
  const first: number[] = [];
  const middle: number[] = [];
  for (let repeat = 0; repeat < repeats; repeat++) {
    let started = performance.now();
    const page = await client.list({ limit: 100 });
    first.push(performance.now() - started);
    if (page.schedules.length !== 100) throw new Error(`the first page holds ${page.schedules.length} schedules, not 100`);
    started = performance.now();
    const next = await client.list({ limit: 100, cursor: String(Math.floor(total / 2)) });
    middle.push(performance.now() - started);
    if (next.schedules.length !== 100) throw new Error(`the middle page holds ${next.schedules.length} schedules, not 100`);
  }
  return { first: summarize(first), middle: summarize(middle) };
}
