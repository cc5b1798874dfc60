import { SundialError } from '@sundial/shared';

/**
 * A sandbox (worker thread or child process) ended before its task settled: `process.exit()`
 * in the handler, a crash of the runtime, or a kill from outside. The attempt fails and may be
 * retried; the worker is unaffected.
 */
export class SandboxExitError extends SundialError {
  readonly code = 'SANDBOX_EXIT';

  /**
   * @param taskName - the task it was running
   * @param exitCode - its exit code, or null when a signal ended it
   * @param signal - the signal that ended it, if one did
   */
  constructor(
    readonly taskName: string,
    readonly exitCode: number | null,
    readonly signal: string | null,
  ) {
    super(
      exitCode !== null
        ? `sandbox exited with code ${exitCode} while running task "${taskName}"`
        : signal !== null
          ? `sandbox was killed by ${signal} while running task "${taskName}"`
          : `sandbox ended while running task "${taskName}"`,
    );
  }
}

/**
 * An exception nobody caught ended a sandbox while it ran a task: a throw in a timer or an event
 * handler, an unhandled rejection, or a failure to start the sandbox. `cause` holds the error.
 */
export class SandboxCrashError extends SundialError {
  readonly code = 'SANDBOX_CRASH';

  constructor(
    readonly taskName: string,
    cause: Error,
  ) {
    super(`sandbox crashed while running task "${taskName}": ${cause.name}: ${cause.message}`, { cause });
  }
}

/** An attempt was still running when its executor was closed; its sandbox was ended. */
export class ExecutorClosedError extends SundialError {
  readonly code = 'EXECUTOR_CLOSED';

  constructor(readonly kind: string) {
    super(`the ${kind} executor was closed while the attempt was running`);
  }
}
