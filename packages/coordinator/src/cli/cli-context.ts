import { systemClock, type Clock } from '../clock';

/** Where command output goes: a stream's `write`, or anything that collects text. */
export interface OutputStream {
  /** Writes text as is; the caller adds newlines. */
  write(text: string): unknown;
}

/** What a CLI run reads from and writes to, injected so it can run inside a test. */
export interface CliContext {
  /** Results: what a script pipes on. */
  readonly stdout: OutputStream;
  /** Errors and diagnostics, one line per error. */
  readonly stderr: OutputStream;
  /** Environment variables such as `SUNDIAL_DEBUG`. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The time `--from` defaults to. */
  readonly clock: Clock;
}

/** The context of a real run: the process's streams and environment, and the system clock. */
export function processContext(): CliContext {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, clock: systemClock };
}
