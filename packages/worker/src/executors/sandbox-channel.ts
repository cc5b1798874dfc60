import { parentPort } from 'node:worker_threads';
import type { ParentMessage, SandboxMessage } from './sandbox-protocol';

/** The sandbox's end of the link to its parent. */
export interface ParentChannel {
  /** Sends a message; rejects (or throws) when it cannot be cloned. */
  send(message: SandboxMessage): Promise<void>;
  /** Calls `listener` with each message from the parent. */
  onMessage(listener: (message: ParentMessage) => void): void;
  /** Ends the sandbox with this exit code. */
  exit(code: number): void;
}

function threadChannel(port: NonNullable<typeof parentPort>): ParentChannel {
  return {
    send: async (message) => port.postMessage(message),
    onMessage: (listener) => port.on('message', listener),
    exit: (code) => process.exit(code),
  };
}

function processChannel(): ParentChannel {
  // The parent is gone (it crashed or was killed): nobody awaits the attempt any more.
  process.once('disconnect', () => process.exit(1));
  return {
    send: (message) => new Promise<void>((resolve, reject) => void process.send?.(message, (error: Error | null) => (error ? reject(error) : resolve()))),
    onMessage: (listener) => process.on('message', (message) => listener(message as ParentMessage)),
    exit: (code) => process.exit(code),
  };
}

/** The channel of this sandbox: its parent port in a worker thread, its IPC channel in a forked process; undefined elsewhere. */
export function parentChannel(): ParentChannel | undefined {
  if (parentPort) return threadChannel(parentPort);
  if (process.send) return processChannel();
  return undefined;
}
