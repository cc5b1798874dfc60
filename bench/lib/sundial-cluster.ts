import pino, { type Logger } from 'pino';
import { spawnCoordinator, type BenchProcess, type BenchProcessOptions } from './processes';
import { waitFor } from './wait';

/** A pino logger that prints warnings and errors only, for workers started in the bench process. */
export function quietLogger(): Logger {
  return pino({ level: 'warn', base: { process: 'bench' } }, pino.destination(2));
}

/** Whether the coordinator's `/metrics` says it is the leader. */
export async function isLeader(coordinator: BenchProcess): Promise<boolean> {
  const metrics = await coordinator.fetchText('/metrics');
  return /^sundial_leader(\{[^}]*\})? 1$/m.test(metrics);
}

/**
 * Starts `sundial coordinator` as a child process and resolves once it is ready and the leader
 * of its namespace.
 */
export async function startLeader(options: BenchProcessOptions, timeoutMs = 30_000): Promise<BenchProcess> {
  const coordinator = await spawnCoordinator(options);
  try {
    await waitFor('the coordinator to become leader', () => isLeader(coordinator), timeoutMs, 100);
  } catch (error) {
    await coordinator.stop(2_000);
    throw new Error(`${error instanceof Error ? error.message : String(error)}; its output:\n${coordinator.output().slice(-4_000)}`);
  }
  return coordinator;
}

/** One counter or gauge value from a Prometheus text page, summed over the label sets that match `labels`. */
export function metricValue(page: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of page.split('\n')) {
    if (!line.startsWith(name)) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([^}]*)\})? ([^ ]+)/.exec(line);
    if (!match || match[1] !== name) continue;
    const labelText = match[3] ?? '';
    if (Object.entries(labels).every(([key, value]) => labelText.includes(`${key}="${value}"`))) sum += Number(match[4]);
  }
  return sum;
}
