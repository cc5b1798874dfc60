/** Where `sundial-worker` writes: a stream's `write`, or anything that collects text. */
export interface OutputStream {
  /** Writes text as is; the caller adds newlines. */
  write(text: string): unknown;
}

/** The signals that stop the worker. */
export type StopSignal = 'SIGTERM' | 'SIGINT';

/** Where the worker hears stop signals: the process, or an emitter in a test. */
export interface SignalSource {
  on(signal: StopSignal, listener: () => void): unknown;
  off(signal: StopSignal, listener: () => void): unknown;
}

/** What a `sundial-worker` run reads from and writes to, injected so it can run inside a test. */
export interface WorkerCliContext {
  /** `--help` and `--version`. */
  readonly stdout: OutputStream;
  /** Errors and the JSON log lines. */
  readonly stderr: OutputStream;
  /** `REDIS_URL`, `SUNDIAL_NAMESPACE`, `SUNDIAL_LOG_LEVEL`, `SUNDIAL_DEBUG`. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly signals: SignalSource;
  /** Ends the process at once: what a second stop signal does while the worker drains. */
  exit(code: number): void;
}

/** The context of a real run: the process's streams, environment and signals. */
export function processContext(): WorkerCliContext {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    signals: process,
    exit: (code) => process.exit(code),
  };
}

/** The signals that stop the worker. */
export const STOP_SIGNALS: readonly StopSignal[] = ['SIGTERM', 'SIGINT'];

/** Listeners for stop signals, installed by {@link listenForStop}. */
export interface StopListener {
  /** Resolves with the first stop signal. */
  readonly first: Promise<StopSignal>;
  /** Removes the listeners. */
  dispose(): void;
}

/**
 * Listens for SIGTERM and SIGINT: the first resolves {@link StopListener.first}, so the worker
 * drains and stops; any later one calls `onRepeat`, for an operator who will not wait.
 */
export function listenForStop(signals: SignalSource, onRepeat: (signal: StopSignal) => void): StopListener {
  let resolveFirst: ((signal: StopSignal) => void) | undefined;
  const first = new Promise<StopSignal>((resolve) => {
    resolveFirst = resolve;
  });
  let received = false;
  const listeners = STOP_SIGNALS.map((signal) => {
    const listener = (): void => {
      if (received) return onRepeat(signal);
      received = true;
      resolveFirst?.(signal);
    };
    signals.on(signal, listener);
    return [signal, listener] as const;
  });
  return {
    first,
    dispose: () => {
      for (const [signal, listener] of listeners) signals.off(signal, listener);
    },
  };
}
