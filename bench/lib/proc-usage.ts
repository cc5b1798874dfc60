import { readFile } from 'node:fs/promises';

/** CPU time and memory of a process at one instant, read from /proc. */
export interface ProcessUsage {
  /** User plus system CPU time so far, in ms. */
  cpuMs: number;
  /** Resident set size in bytes. */
  rssBytes: number;
}

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on Linux). */
const CLOCK_TICKS_PER_SECOND = 100;

/**
 * The CPU time and RSS of process `pid` from /proc/<pid>/stat and /proc/<pid>/status (Linux only).
 *
 * @throws when the process does not exist or /proc is not available
 */
export async function readProcessUsage(pid: number): Promise<ProcessUsage> {
  const [stat, status] = await Promise.all([readFile(`/proc/${pid}/stat`, 'utf8'), readFile(`/proc/${pid}/status`, 'utf8')]);
  // The command name (field 2) is in parentheses and may contain spaces: count fields after its ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  const rssKiB = Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1] ?? Number.NaN);
  return { cpuMs: ((utime + stime) * 1_000) / CLOCK_TICKS_PER_SECOND, rssBytes: rssKiB * 1_024 };
}

/** CPU time and RSS of this process, from Node's own counters. */
export function ownUsage(): ProcessUsage {
  const cpu = process.cpuUsage();
  return { cpuMs: (cpu.user + cpu.system) / 1_000, rssBytes: process.memoryUsage.rss() };
}
