/** Where command output goes: a stream's `write`, or anything that collects text. */
export interface OutputStream {
  /** Writes text as is; the caller adds newlines. */
  write(text: string): unknown;
  /** Whether it is a terminal (people read it: colours, pretty logs, screen redraws). */
  readonly isTTY?: boolean;
}

/** The signals that ask a long-running command to stop. */
export type StopSignal = 'SIGTERM' | 'SIGINT';

/** Where a long-running command hears stop signals: the process, or an emitter in a test. */
export interface SignalSource {
  /** Calls `listener` on every `signal` until it is removed with {@link SignalSource.off}. */
  on(signal: StopSignal, listener: () => void): unknown;
  /** Removes a listener added with {@link SignalSource.on}. */
  off(signal: StopSignal, listener: () => void): unknown;
}

/** What a CLI run reads from and writes to, injected so it can run inside a test. */
export interface CliIo {
  /** Results, `--help` and `--version`: what a script pipes on. */
  readonly stdout: OutputStream;
  /** Errors, warnings and logs, one line each. */
  readonly stderr: OutputStream;
  /** Environment variables such as `REDIS_URL`, `SUNDIAL_NAMESPACE` and `SUNDIAL_DEBUG`. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Stop signals for long-running commands. */
  readonly signals: SignalSource;
  /**
   * Ends the process at once with a status: what a second stop signal does while a long-running
   * command is still shutting down. Every other path returns its status from `main`.
   */
  exit(code: number): void;
}

/** The I/O of a real run: the process's streams, environment and signals. */
export function processCliIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    signals: process,
    exit: (code) => process.exit(code),
  };
}
