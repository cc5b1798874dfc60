import type { Redis } from 'ioredis';

/** Calls and server time of one Redis command (INFO commandstats). */
export interface CommandStat {
  command: string;
  calls: number;
  /** Microseconds Redis spent executing it. */
  usec: number;
}

/** INFO commandstats as a map from command name (e.g. "evalsha", "hmget") to its counters. */
export async function readCommandStats(redis: Redis): Promise<Map<string, CommandStat>> {
  const text = await redis.info('commandstats');
  const stats = new Map<string, CommandStat>();
  for (const match of text.matchAll(/^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/gm)) {
    const command = match[1] ?? '';
    stats.set(command, { command, calls: Number(match[2]), usec: Number(match[3]) });
  }
  return stats;
}

/** The commands run between two readings, most server time first. */
export function commandStatsBetween(before: Map<string, CommandStat>, after: Map<string, CommandStat>): CommandStat[] {
  const delta: CommandStat[] = [];
  for (const [command, stat] of after) {
    const old = before.get(command);
    const calls = stat.calls - (old?.calls ?? 0);
    if (calls > 0) delta.push({ command, calls, usec: stat.usec - (old?.usec ?? 0) });
  }
  return delta.sort((a, b) => b.usec - a.usec);
}

/** "evalsha 12,000 calls (3.1 per fire, 410 ms)" lines for a report note; `per` divides calls. */
export function describeCommandStats(stats: readonly CommandStat[], per: number, perLabel: string, top = 6): string {
  return stats
    .slice(0, top)
    .map((stat) => `${stat.command} ${stat.calls.toLocaleString('en-US')} calls (${(stat.calls / per).toFixed(2)} per ${perLabel}, ${(stat.usec / 1_000).toFixed(0)} ms in Redis)`)
    .join('; ');
}
