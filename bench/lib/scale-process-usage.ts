import type { ProcessUsage } from './proc-usage';

/** RSS and CPU of a process over a sampling window. */
export interface SteadyUsage {
  /** Largest RSS seen, in MiB. */
  rssMaxMiB: number;
  /** Mean RSS, in MiB. */
  rssMeanMiB: number;
  /** CPU time per wall second over the window, in ms/s (1,000 = one core busy). */
  cpuMsPerSecond: number;
}

/** Samples `usage` once a second for `windowMs`. */
export async function sampleSteadyUsage(usage: () => Promise<ProcessUsage>, windowMs: number): Promise<SteadyUsage> {
  const first = await usage();
  const started = performance.now();
  const rss: number[] = [first.rssBytes];
  let last = first;
  while (performance.now() - started < windowMs) {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    last = await usage();
    rss.push(last.rssBytes);
  }
  const wallMs = performance.now() - started;
  const mib = (bytes: number) => bytes / 1_048_576;
  return {
    rssMaxMiB: mib(Math.max(...rss)),
    rssMeanMiB: mib(rss.reduce((sum, value) => sum + value, 0) / rss.length),
    cpuMsPerSecond: ((last.cpuMs - first.cpuMs) / wallMs) * 1_000,
  };
}
