import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The environment variable naming a directory where every test process records the child
 * processes it starts (one file per pid), so the global teardown can kill any that a crashed
 * test process left behind. The global setup sets it.
 */
export const PID_DIR_ENV = 'SUNDIAL_TEST_PID_DIR';

/** A child process the test run started and must end. */
export interface TrackedProcess {
  readonly pid: number;
  /** A string the process's command line contains, to tell it from an unrelated reused pid. */
  readonly marker: string;
  /** Whether {@link killAllSpawned} ends it: false for the server shared by the whole run. */
  readonly perTest: boolean;
  /** Ends the process and waits for its exit. */
  stop(): Promise<unknown>;
  /** Synchronous last-resort clean-up when the test process exits (temp dirs). */
  cleanUpSync?(): void;
}

const live = new Set<TrackedProcess>();
let exitHookInstalled = false;

function pidFile(pid: number): string | undefined {
  const dir = process.env[PID_DIR_ENV];
  return dir && existsSync(dir) ? join(dir, String(pid)) : undefined;
}

function killSync(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone.
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // The last line of defence: a test file that forgot to stop a process, or a test process that
  // exits early, must not leave children running after the test run.
  process.once('exit', () => {
    for (const tracked of live) {
      killSync(tracked.pid, 'SIGKILL');
      tracked.cleanUpSync?.();
      const file = pidFile(tracked.pid);
      if (file) rmSync(file, { force: true });
    }
    live.clear();
  });
}

/**
 * Records a started child process until {@link untrack} is called for it (when it has exited).
 * It is then ended by {@link killAllSpawned}, when the test process exits, and by the global
 * teardown if the test process itself died.
 */
export function track(tracked: TrackedProcess): void {
  installExitHook();
  live.add(tracked);
  const file = pidFile(tracked.pid);
  if (file) writeFileSync(file, tracked.marker);
}

/** Forgets a process that has exited. */
export function untrack(tracked: TrackedProcess): void {
  live.delete(tracked);
  const file = pidFile(tracked.pid);
  if (file) rmSync(file, { force: true });
}

/**
 * Ends every process this test process started that is still running (except the Redis server
 * shared by the whole run) and waits for them to exit. Call it from `afterAll` or `afterEach`
 * in tests that start processes.
 */
export async function killAllSpawned(): Promise<void> {
  await Promise.all([...live].filter((tracked) => tracked.perTest).map((tracked) => tracked.stop()));
}

function commandLine(pid: number): string | undefined {
  const proc = `/proc/${pid}/cmdline`;
  if (existsSync('/proc')) {
    try {
      return readFileSync(proc, 'utf8').replace(/\0/g, ' ');
    } catch {
      return undefined;
    }
  }
  const ps = spawnSync('ps', ['-o', 'command=', '-p', String(pid)], { encoding: 'utf8' });
  return ps.status === 0 ? ps.stdout : undefined;
}

/**
 * Kills the processes recorded in a pid directory that are still running, checking each one's
 * command line first so that a pid the system reused for another process is left alone.
 *
 * @returns the pids that were killed
 */
export function sweepPidDir(dir: string): number[] {
  if (!existsSync(dir)) return [];
  const killed: number[] = [];
  for (const name of readdirSync(dir)) {
    const pid = Number(name);
    const file = join(dir, name);
    if (Number.isSafeInteger(pid) && pid > 0) {
      const marker = readFileSync(file, 'utf8');
      const command = commandLine(pid);
      if (command !== undefined && marker !== '' && command.includes(marker)) {
        killSync(pid, 'SIGKILL');
        killed.push(pid);
      }
    }
    try {
      unlinkSync(file);
    } catch {
      // Removed by its owner meanwhile.
    }
  }
  return killed;
}
