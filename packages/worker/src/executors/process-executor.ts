import { fork } from 'node:child_process';
import type { Sandbox, SandboxEvents } from './sandbox-attempt';
import { SANDBOX_ENTRY } from './sandbox-entry-path';
import { SandboxExecutor } from './sandbox-executor';

/**
 * Runs each attempt in a child process of its own (`child_process.fork`, with structured-clone
 * serialization): the strongest separation, for untrusted or crash-prone work or native modules,
 * and the costliest to start. The child inherits the worker's environment, working directory,
 * stdout and stderr, and its Node.js flags (but not `--inspect`, whose port would clash).
 */
export class ProcessExecutor extends SandboxExecutor {
  /** Where it runs handlers. */
  readonly kind = 'process';

  protected spawn(events: SandboxEvents): Sandbox {
    const child = fork(SANDBOX_ENTRY, [], {
      serialization: 'advanced',
      execArgv: process.execArgv.filter((flag) => !flag.startsWith('--inspect')),
    });
    child.on('message', (message) => events.message(message as never));
    child.on('error', (error) => {
      events.error(error);
      // A process that failed to start emits no 'close'.
      if (child.pid === undefined) events.exit(null, null);
    });
    // 'close', not 'exit': it comes after the IPC channel is drained, so after the last message.
    child.on('close', (code, signal) => events.exit(code, signal));
    return {
      send: (message) => {
        // A send fails only when the channel is closed, that is when the child is ending: its
        // 'close' reports how, so the error itself says nothing more.
        child.send(message, () => undefined);
      },
      kill: () => void child.kill('SIGKILL'),
    };
  }
}
