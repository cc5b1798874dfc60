import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { basename, resolve as resolvePath } from 'node:path';
import { track, untrack, type TrackedProcess } from './process-registry';

export { killAllSpawned } from './process-registry';

/** How a process ended: its exit code, or the signal that killed it. */
export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Options of {@link spawnNode}. */
export interface SpawnNodeOptions {
  /** Variables set on top of this process's environment; `undefined` removes one. */
  env?: Record<string, string | undefined>;
  /** A name for messages. Default: the script's file name. */
  name?: string;
  /** The working directory. Default: this process's. */
  cwd?: string;
  /** Node options before the script, e.g. `['--enable-source-maps']`. */
  execArgv?: string[];
}

/** Options of {@link SpawnedProcess.waitForOutput}. */
export interface WaitForOutputOptions {
  /** Look only at output after this offset (a past `output().length`). Default: 0. */
  since?: number;
}

/** A Node.js process started by {@link spawnNode}. */
export interface SpawnedProcess {
  readonly name: string;
  readonly pid: number;
  /** Whether it has exited. */
  readonly hasExited: boolean;
  /** Its stdout and stderr so far, interleaved as they arrived. */
  output(): string;
  /**
   * Resolves with the first match of `pattern` in the output (from `options.since`), as soon as
   * it appears. Rejects, with the output in the message, when `timeoutMs` passes first or the
   * process exits without printing it.
   */
  waitForOutput(pattern: RegExp, timeoutMs?: number, options?: WaitForOutputOptions): Promise<RegExpExecArray>;
  /** Sends a signal (ignored once the process has exited). */
  signal(signal: NodeJS.Signals): void;
  /** Settles when the process has exited and its output has been read. */
  readonly exited: Promise<ProcessExit>;
  /** Sends SIGTERM, then SIGKILL if it has not exited after `graceMs`; resolves with the exit. */
  stop(graceMs?: number): Promise<ProcessExit>;
}

/** Output beyond this many characters is dropped from the start. */
const MAX_OUTPUT_CHARS = 8 * 1024 * 1024;
/** How much output an error message shows. */
const MESSAGE_OUTPUT_CHARS = 20_000;
/** After `exit`, how long to wait for the output streams to close (a grandchild may hold them). */
const STREAM_CLOSE_GRACE_MS = 500;

function describeExit(exit: ProcessExit): string {
  return exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
}

function tail(text: string): string {
  return text.length > MESSAGE_OUTPUT_CHARS ? `...${text.slice(-MESSAGE_OUTPUT_CHARS)}` : text;
}

/**
 * Runs a Node.js script in a child process and collects its output. The process is registered
 * so that `killAllSpawned()` (call it in `afterAll`) ends it if the test did not, and it is
 * killed when the test process exits; it never outlives the test run.
 */
export function spawnNode(scriptPath: string, args: readonly string[] = [], options: SpawnNodeOptions = {}): SpawnedProcess {
  const script = resolvePath(scriptPath);
  const name = options.name ?? basename(script);
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  const child = spawn(process.execPath, [...(options.execArgv ?? []), script, ...args], {
    cwd: options.cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const events = new EventEmitter();
  let text = '';
  let dropped = 0;
  let exit: ProcessExit | undefined;

  const append = (chunk: Buffer): void => {
    text += chunk.toString('utf8');
    if (text.length > MAX_OUTPUT_CHARS) {
      dropped += text.length - MAX_OUTPUT_CHARS;
      text = text.slice(-MAX_OUTPUT_CHARS);
    }
    events.emit('output');
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);

  const exited = new Promise<ProcessExit>((resolve) => {
    let closeTimer: NodeJS.Timeout | undefined;
    const finish = (result: ProcessExit): void => {
      if (closeTimer) clearTimeout(closeTimer);
      if (exit) return;
      exit = result;
      resolve(result);
      events.emit('exit');
    };
    child.once('close', (code, signal) => finish({ code, signal }));
    child.once('exit', (code, signal) => {
      closeTimer = setTimeout(() => finish({ code, signal }), STREAM_CLOSE_GRACE_MS);
    });
    child.once('error', (error) => {
      append(Buffer.from(`\n[${name} could not be started: ${error.message}]\n`));
      finish({ code: null, signal: null });
    });
  });

  const signal = (sig: NodeJS.Signals): void => {
    if (exit || child.exitCode !== null || child.signalCode !== null) return;
    try {
      child.kill(sig);
    } catch {
      // It exited meanwhile.
    }
  };

  const stop = async (graceMs = 5_000): Promise<ProcessExit> => {
    signal('SIGTERM');
    const timer = setTimeout(() => signal('SIGKILL'), graceMs);
    try {
      return await exited;
    } finally {
      clearTimeout(timer);
    }
  };

  const tracked: TrackedProcess | undefined =
    child.pid === undefined ? undefined : { pid: child.pid, marker: script, perTest: true, stop: () => stop() };
  if (tracked) {
    track(tracked);
    void exited.then(() => untrack(tracked));
  }

  const waitForOutput = (pattern: RegExp, timeoutMs = 10_000, waitOptions: WaitForOutputOptions = {}): Promise<RegExpExecArray> => {
    const regex = new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, ''));
    const since = waitOptions.since ?? 0;
    return new Promise((resolve, reject) => {
      const cleanUp = (): void => {
        clearTimeout(timer);
        events.off('output', check);
        events.off('exit', onExit);
      };
      const check = (): boolean => {
        const match = regex.exec(text.slice(Math.max(0, since - dropped)));
        if (match) {
          cleanUp();
          resolve(match);
        }
        return match !== null;
      };
      const onExit = (): void => {
        if (check() || !exit) return;
        cleanUp();
        reject(new Error(`${name} (pid ${child.pid}) ${describeExit(exit)} without printing ${pattern}; its output:\n${tail(text)}`));
      };
      const timer = setTimeout(() => {
        cleanUp();
        reject(new Error(`${name} (pid ${child.pid}) did not print ${pattern} within ${timeoutMs} ms; its output:\n${tail(text)}`));
      }, timeoutMs);
      events.on('output', check);
      events.on('exit', onExit);
      if (exit) onExit();
      else check();
    });
  };

  return {
    name,
    pid: child.pid ?? -1,
    get hasExited() {
      return exit !== undefined;
    },
    output: () => text,
    waitForOutput,
    signal,
    exited,
    stop,
  };
}
