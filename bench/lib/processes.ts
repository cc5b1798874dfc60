import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { findFreePort } from '@sundial/testing';
import { readProcessUsage, type ProcessUsage } from './proc-usage';

/** The repository root (compiled code lives in `bench/dist/lib`). */
export const REPO_ROOT = resolve(__dirname, '..', '..', '..');
/** `node_modules/.bin/sundial` */
export const SUNDIAL_BIN = resolve(REPO_ROOT, 'node_modules', '.bin', 'sundial');
/** `node_modules/.bin/sundial-worker` */
export const SUNDIAL_WORKER_BIN = resolve(REPO_ROOT, 'node_modules', '.bin', 'sundial-worker');
/** The script `node_modules/.bin/sundial` runs. */
const SUNDIAL_SCRIPT = resolve(REPO_ROOT, 'node_modules', '@sundial', 'coordinator', 'bin', 'sundial.js');
/** The script `node_modules/.bin/sundial-worker` runs. */
const SUNDIAL_WORKER_SCRIPT = resolve(REPO_ROOT, 'node_modules', '@sundial', 'worker', 'bin', 'sundial-worker.js');

/** Options of {@link spawnCoordinator} and {@link spawnWorker}. */
export interface BenchProcessOptions {
  /** The Redis to use (REDIS_URL). */
  redisUrl: string;
  /** The Sundial namespace (SUNDIAL_NAMESPACE), one from `keyPrefixFor`. */
  namespace: string;
  /** More command-line arguments, e.g. `['--max-sleep', '1s']`. */
  args?: string[];
  /** More environment variables. */
  env?: Record<string, string>;
  /**
   * Node options before the script, e.g. `['--max-old-space-size=4096']`. With BENCH_CPU_PROF_DIR
   * set, every child also writes a V8 CPU profile there when it exits (`--cpu-prof`).
   */
  nodeOptions?: string[];
  /** A name for messages. Default: "coordinator" or "worker". */
  name?: string;
  /** How long to wait for `/readyz` to answer 200. @defaultValue 20 s */
  readyTimeoutMs?: number;
}

/** A `sundial coordinator` or `sundial-worker` child process. */
export interface BenchProcess {
  readonly name: string;
  readonly pid: number;
  /** The port of its `/metrics`, `/healthz` and `/readyz` (and the coordinator's admin API). */
  readonly port: number;
  /** `http://127.0.0.1:<port>` */
  readonly baseUrl: string;
  /** Whether it has exited. */
  readonly hasExited: boolean;
  /** Its stdout and stderr so far (the last 1 MiB). */
  output(): string;
  /** Sends a signal (ignored once it has exited). */
  kill(signal?: NodeJS.Signals): void;
  /** CPU time and RSS now, from /proc. */
  usage(): Promise<ProcessUsage>;
  /** GETs a path of its HTTP server, e.g. "/metrics"; returns the body. */
  fetchText(path: string): Promise<string>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it has exited. */
  stop(graceMs?: number): Promise<void>;
  /** Settles when it has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const MAX_OUTPUT_CHARS = 1024 * 1024;
const READY_POLL_MS = 50;
const DEFAULT_READY_TIMEOUT_MS = 20_000;
const live = new Set<ChildProcess>();
let killOnExitRegistered = false;

/** Children still running when the bench process exits (a failed scenario, Ctrl-C) are killed with it. */
function track(child: ChildProcess): void {
  live.add(child);
  if (killOnExitRegistered) return;
  killOnExitRegistered = true;
  process.once('exit', () => {
    for (const running of live) running.kill('SIGKILL');
  });
}

async function startBin(bin: string, script: string, kind: string, binArgs: string[], options: BenchProcessOptions): Promise<BenchProcess> {
  for (const path of [bin, script]) {
    if (!existsSync(path)) throw new Error(`${path} is missing: run \`pnpm install && pnpm build\` at the repository root`);
  }
  const port = await findFreePort();
  const name = options.name ?? kind;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    REDIS_URL: options.redisUrl,
    SUNDIAL_NAMESPACE: options.namespace,
    SUNDIAL_LOG_LEVEL: 'warn',
    ...options.env,
  };
  const profileDir = process.env.BENCH_CPU_PROF_DIR?.trim();
  const nodeOptions = [...(options.nodeOptions ?? []), ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [])];
  // The script the bin's shim runs, run by this Node.js directly: the pid is the Node.js process
  // itself (for /proc sampling), and options such as --cpu-prof, not allowed in NODE_OPTIONS, apply.
  const child = spawn(process.execPath, [...nodeOptions, script, ...binArgs, '--port', String(port), ...(options.args ?? [])], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  track(child);
  let text = '';
  const append = (chunk: Buffer): void => {
    text += chunk.toString('utf8');
    if (text.length > MAX_OUTPUT_CHARS) text = text.slice(-MAX_OUTPUT_CHARS);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  let hasExited = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolveExit) => {
    child.once('exit', (code, signal) => {
      hasExited = true;
      live.delete(child);
      resolveExit({ code, signal });
    });
    child.once('error', (error) => {
      append(Buffer.from(`\n[${name} could not be started: ${error.message}]\n`));
      hasExited = true;
      live.delete(child);
      resolveExit({ code: null, signal: null });
    });
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  const kill = (signal: NodeJS.Signals = 'SIGTERM'): void => {
    if (!hasExited) child.kill(signal);
  };
  const stop = async (graceMs = 10_000): Promise<void> => {
    if (hasExited) return;
    kill('SIGTERM');
    const timer = setTimeout(() => kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  };
  const fetchText = async (path: string): Promise<string> => {
    const response = await fetch(`${baseUrl}${path}`);
    const body = await response.text();
    if (!response.ok) throw new Error(`${name} answered ${response.status} to GET ${path}: ${body.slice(0, 200)}`);
    return body;
  };

  const deadline = Date.now() + (options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS);
  for (;;) {
    if (hasExited) throw new Error(`${name} exited before it was ready; its output:\n${text.slice(-4_000)}`);
    try {
      const response = await fetch(`${baseUrl}/readyz`);
      await response.arrayBuffer();
      if (response.ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await stop(1_000);
      throw new Error(`${name} was not ready within ${options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS} ms; its output:\n${text.slice(-4_000)}`);
    }
    await new Promise((wake) => setTimeout(wake, READY_POLL_MS));
  }

  return {
    name,
    pid: child.pid ?? -1,
    port,
    baseUrl,
    get hasExited() {
      return hasExited;
    },
    output: () => text,
    kill,
    usage: () => readProcessUsage(child.pid ?? -1),
    fetchText,
    stop,
    exited,
  };
}

/**
 * Starts `sundial coordinator` from `node_modules/.bin` on a free port and resolves once its
 * `/readyz` answers 200 (ready does not mean leader: wait for leadership separately).
 */
export function spawnCoordinator(options: BenchProcessOptions): Promise<BenchProcess> {
  return startBin(SUNDIAL_BIN, SUNDIAL_SCRIPT, 'coordinator', ['coordinator'], options);
}

/** Starts `sundial-worker --tasks <tasksModule>` from `node_modules/.bin` on a free port and resolves once its `/readyz` answers 200. */
export function spawnWorker(tasksModule: string, options: BenchProcessOptions): Promise<BenchProcess> {
  return startBin(SUNDIAL_WORKER_BIN, SUNDIAL_WORKER_SCRIPT, 'worker', ['--tasks', tasksModule], options);
}
