import { EventEmitter } from 'node:events';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import type { CliContext } from '../../packages/coordinator/src/cli/cli-context';
import { main } from '../../packages/coordinator/src/cli/main';

/** The built `sundial` bin. */
export const SUNDIAL_BIN = join(__dirname, '..', '..', 'packages', 'coordinator', 'bin', 'sundial.js');

/** How a `sundial` run ended and what it printed. */
export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** A `sundial` run in this process, started by {@link startCli}. */
export interface RunningCli {
  /** Sends a stop signal to the run, as the process would receive it. */
  signal(signal: 'SIGTERM' | 'SIGINT'): void;
  /** What it printed on stderr so far. */
  stderr(): string;
  /** What it printed on stdout so far. */
  stdout(): string;
  /** The exit statuses passed to `context.exit` (a second stop signal). */
  readonly exits: readonly number[];
  /** Settles when `main` returns. */
  readonly done: Promise<CliResult>;
}

/**
 * Starts `sundial ...args` in this process with `env` as its whole environment, collected output
 * and an emitter for stop signals; `context.exit` is recorded, not carried out.
 */
export function startCli(env: Record<string, string>, ...args: string[]): RunningCli {
  let stdout = '';
  let stderr = '';
  const exits: number[] = [];
  const signals = new EventEmitter();
  const context: CliContext = {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env,
    clock: { now: () => Date.now() },
    signals,
    exit: (code: number) => void exits.push(code),
  };
  const done = main(['node', 'sundial', ...args], context).then((exitCode) => ({ exitCode, stdout, stderr }));
  return { signal: (name) => void signals.emit(name), stderr: () => stderr, stdout: () => stdout, exits, done };
}

/** Runs `sundial ...args` in this process with `env` as its whole environment, and collects its output. */
export function runCli(env: Record<string, string>, ...args: string[]): Promise<CliResult> {
  return startCli(env, ...args).done;
}

/** Runs the built `sundial` bin as its own process, with `env` over this process's environment. */
export function runSundialProcess(env: Record<string, string>, ...args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [SUNDIAL_BIN, ...args], { env: { ...process.env, SUNDIAL_DEBUG: '', ...env }, encoding: 'utf8' }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
      resolve({ exitCode: code, stdout, stderr });
    });
  });
}
