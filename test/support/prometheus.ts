import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findFreePort } from './free-port';
import { track, untrack, type TrackedProcess } from './process-registry';

/** The Prometheus binaries the tests use, all from Debian's `prometheus` package. */
export type PrometheusBinary = 'promtool' | 'prometheus';

/**
 * The path of `name` on the PATH. Throws, saying how to install it, when it is missing: the
 * Prometheus tests fail rather than skip (`.ci/run` installs the package).
 */
export function requirePrometheusBinary(name: PrometheusBinary): string {
  const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  const file = found.status === 0 ? found.stdout.trim() : '';
  if (file === '') throw new Error(`${name} is not on the PATH; install Debian's prometheus package (apt-get install -y prometheus), as .ci/run does`);
  return file;
}

/** What `promtool check metrics` said about a metrics text. */
export interface PromtoolVerdict {
  readonly exitCode: number;
  /** Its complaints, one per line. */
  readonly problems: string[];
}

/** Runs `promtool check metrics` on `metricsText` (Prometheus text format). */
export function promtoolCheckMetrics(metricsText: string): PromtoolVerdict {
  const result = spawnSync(requirePrometheusBinary('promtool'), ['check', 'metrics'], { input: metricsText, encoding: 'utf8' });
  if (result.error) throw result.error;
  const problems = `${result.stdout}${result.stderr}`.split('\n').map((line) => line.trim()).filter((line) => line !== '');
  return { exitCode: result.status ?? 1, problems };
}

/** A Prometheus server on a loopback port, with a temp config and storage. */
export interface PrometheusServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Its log so far. */
  output(): string;
  /** Runs an instant query; the `data.result` of the answer. */
  query(promql: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]>;
  /** Kills it and deletes its directory. */
  stop(): Promise<void>;
}

/** Starts `prometheus` scraping each target (`host:port`, labelled by its job name) every second. */
export async function startPrometheus(targets: Record<string, string>): Promise<PrometheusServer> {
  const binary = requirePrometheusBinary('prometheus');
  const dir = mkdtempSync(path.join(tmpdir(), 'sundial-prometheus-'));
  const port = await findFreePort();
  const jobs = Object.entries(targets).map(([job, target]) => `  - job_name: ${JSON.stringify(job)}\n    static_configs:\n      - targets: [${JSON.stringify(target)}]\n`);
  writeFileSync(path.join(dir, 'prometheus.yml'), `global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n${jobs.join('')}`);
  const child = spawn(binary, [`--config.file=${path.join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${path.join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const tracked: TrackedProcess = {
    pid: child.pid as number,
    marker: dir,
    perTest: true,
    stop: async () => {
      child.kill('SIGKILL');
      await exited;
    },
    cleanUpSync: () => rmSync(dir, { recursive: true, force: true }),
  };
  track(tracked);
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    output: () => log,
    query: async (promql) => {
      const response = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(promql)}`);
      const body = (await response.json()) as { status: string; data?: { result: { metric: Record<string, string>; value: [number, string] }[] } };
      return body.status === 'success' ? (body.data?.result ?? []) : [];
    },
    stop: async () => {
      await tracked.stop();
      untrack(tracked);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
