/**
 * The most jobs one BullMQ `Worker` is asked to hold. A BullMQ Worker takes jobs one after
 * another, one round trip each, so a burst of thousands (a large prefetch) is taken faster by
 * several Workers side by side on the queue.
 */
export const JOBS_PER_FETCHER = 256;
/** The most BullMQ Workers a process runs per queue (each has a blocking Redis connection). */
export const MAX_FETCHERS = 8;

/**
 * How a queue's share of the process (`concurrency + prefetch` jobs) is split over BullMQ
 * Workers: one per {@link JOBS_PER_FETCHER} jobs, at most {@link MAX_FETCHERS}, in near-equal
 * parts that add up to `jobs`.
 */
export function fetcherShares(jobs: number): number[] {
  const fetchers = Math.max(1, Math.min(MAX_FETCHERS, Math.ceil(jobs / JOBS_PER_FETCHER)));
  const base = Math.floor(jobs / fetchers);
  return Array.from({ length: fetchers }, (_, index) => base + (index < jobs % fetchers ? 1 : 0));
}
