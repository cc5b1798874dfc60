import type { SignalSource, StopSignal } from './cli-io';

/** The signals that stop a long-running command. */
export const STOP_SIGNALS: readonly StopSignal[] = ['SIGTERM', 'SIGINT'];

/** Listeners for stop signals, installed by {@link listenForStop}. */
export interface StopListener {
  /** Resolves with the first stop signal. */
  readonly first: Promise<StopSignal>;
  /** Removes the listeners. */
  dispose(): void;
}

/**
 * Listens for SIGTERM and SIGINT: the first resolves {@link StopListener.first}, so the command
 * shuts down in order; any later one calls `onRepeat`, for an operator who will not wait.
 */
export function listenForStop(signals: SignalSource, onRepeat: (signal: StopSignal) => void): StopListener {
  let received = false;
  let resolveFirst: (signal: StopSignal) => void = () => undefined;
  const first = new Promise<StopSignal>((resolve) => {
    resolveFirst = resolve;
  });
  const listeners = STOP_SIGNALS.map((signal) => {
    const listener = (): void => {
      if (received) {
        onRepeat(signal);
        return;
      }
      received = true;
      resolveFirst(signal);
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
