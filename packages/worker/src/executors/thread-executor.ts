import { Worker } from 'node:worker_threads';
import type { Sandbox, SandboxEvents } from './sandbox-attempt';
import { SANDBOX_ENTRY } from './sandbox-entry-path';
import { SandboxExecutor } from './sandbox-executor';

/**
 * Runs each attempt in a worker thread of its own (`worker_threads`): the handler gets its own
 * event loop and V8 isolate, so CPU-bound work does not block the worker, and
 * `process.exit()` or an uncaught exception ends only that thread. Cheaper to start than a
 * process, but it shares the process's memory limit and native state.
 */
export class ThreadExecutor extends SandboxExecutor {
  /** Where it runs handlers. */
  readonly kind = 'thread';

  protected spawn(events: SandboxEvents): Sandbox {
    const worker = new Worker(SANDBOX_ENTRY);
    worker.on('message', (message) => events.message(message));
    worker.on('error', (error) => events.error(error));
    worker.on('exit', (code) => events.exit(code, null));
    return {
      send: (message) => worker.postMessage(message),
      kill: () => void worker.terminate(),
    };
  }
}
