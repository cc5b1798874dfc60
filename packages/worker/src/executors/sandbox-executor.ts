import { ValidationError } from '@sundial/shared';
import type { TaskContext, TaskDefinition } from '../task-definition';
import type { Executor } from './executor';
import { SandboxAttempt, type Sandbox, type SandboxEvents } from './sandbox-attempt';
import { ExecutorClosedError } from './sandbox-errors';
import { sandboxModulePath } from './sandbox-module-path';

/** Options of the `thread` and `process` executors. */
export interface SandboxExecutorOptions {
  /**
   * How long a sandbox may go on after its attempt's signal aborted (the handler's chance to stop
   * cleanly) before it is terminated (thread) or killed with SIGKILL (process).
   *
   * @defaultValue 2,000 ms
   */
  readonly abortGraceMs?: number;
}

/** The default of `SandboxExecutorOptions.abortGraceMs`. */
export const DEFAULT_ABORT_GRACE_MS = 2_000;

/**
 * An executor that runs each attempt in a sandbox of its own, started for the attempt and ended
 * after it. A new sandbox per attempt keeps attempts apart (no state, leaked memory or crash
 * carries over) at the cost of starting one each time: a fresh V8 isolate that loads Node.js
 * and the task module with its dependencies, tens to hundreds of milliseconds, more for a
 * process than a thread. It suits CPU-bound or untrusted work that runs for a while, not tiny
 * tasks at a high rate.
 *
 * The sandbox loads the task from `task.modulePath`, so the data, the result, progress values
 * and errors cross a boundary: they must be structured-cloneable (JSON always is).
 */
export abstract class SandboxExecutor implements Executor {
  /** Where it runs handlers. */
  abstract readonly kind: 'thread' | 'process';
  readonly #abortGraceMs: number;
  readonly #attempts = new Set<SandboxAttempt>();
  #closed = false;

  constructor(options: SandboxExecutorOptions = {}) {
    const graceMs = options.abortGraceMs ?? DEFAULT_ABORT_GRACE_MS;
    if (!Number.isSafeInteger(graceMs) || graceMs < 0) {
      throw new ValidationError('abortGraceMs', `expected a whole number of milliseconds, 0 or more, got ${String(graceMs)}`);
    }
    this.#abortGraceMs = graceMs;
  }

  /** Starts one sandbox that reports to `events`. */
  protected abstract spawn(events: SandboxEvents): Sandbox;

  /**
   * Runs one attempt in a new sandbox.
   *
   * @throws TaskDefinitionError naming `executor` when the task has no `modulePath`
   */
  async run(task: TaskDefinition, context: TaskContext): Promise<unknown> {
    const modulePath = sandboxModulePath(task, this.kind);
    if (this.#closed) throw new ExecutorClosedError(this.kind);
    context.signal.throwIfAborted();
    const attempt = new SandboxAttempt((events) => this.spawn(events), { name: task.name, modulePath }, context, this.#abortGraceMs);
    this.#attempts.add(attempt);
    try {
      return await attempt.settled;
    } finally {
      this.#attempts.delete(attempt);
    }
  }

  /** Aborts the attempts still running (with an `ExecutorClosedError`) and waits for their sandboxes to end. */
  async close(): Promise<void> {
    this.#closed = true;
    const running = [...this.#attempts];
    const reason = new ExecutorClosedError(this.kind);
    for (const attempt of running) attempt.abort(reason);
    await Promise.allSettled(running.map((attempt) => attempt.settled));
  }
}
