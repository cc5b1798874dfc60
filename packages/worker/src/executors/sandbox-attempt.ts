import type { TaskContext } from '../task-definition';
import type { ParentMessage, SandboxMessage, SandboxTask } from './sandbox-protocol';
import { SandboxCrashError, SandboxExitError } from './sandbox-errors';
import { forwardLogRecord } from './sandbox-log';
import { deserializeError, serializeError } from './serialized-error';

/** What a sandbox reports to the attempt running in it. */
export interface SandboxEvents {
  message(message: SandboxMessage): void;
  /** An error the sandbox itself raised (it failed to start, or threw outside the handler). */
  error(error: Error): void;
  /** It ended, with an exit code or by a signal; called once, last. */
  exit(code: number | null, signal: string | null): void;
}

/** The parent's end of one sandbox: a worker thread or a child process. */
export interface Sandbox {
  /** Sends a message; throws when it cannot be cloned. */
  send(message: ParentMessage): void;
  /** Ends it at once: terminates the thread, or kills the process with SIGKILL. */
  kill(): void;
}

/** Starts a sandbox that reports to `events`. */
export type SpawnSandbox = (events: SandboxEvents) => Sandbox;

type Outcome = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown };

/**
 * One attempt of a task in a sandbox of its own, from the parent's side. It sends the run, relays
 * log records and progress, and settles when the sandbox has exited: with the handler's result or
 * error, or an error saying how the sandbox ended. Once aborted (the context's signal, or
 * `abort()`), it asks the handler to stop, kills the sandbox if it has not ended within
 * `graceMs`, and rejects with the abort reason.
 */
export class SandboxAttempt {
  /** Settles when the sandbox has exited. */
  readonly settled: Promise<unknown>;
  readonly #task: SandboxTask;
  readonly #context: TaskContext;
  readonly #graceMs: number;
  readonly #sandbox: Sandbox;
  #outcome: Outcome | undefined;
  #aborted: { readonly reason: unknown } | undefined;
  #exited = false;
  #killTimer: NodeJS.Timeout | undefined;

  constructor(spawn: SpawnSandbox, task: SandboxTask, context: TaskContext, graceMs: number) {
    this.#task = task;
    this.#context = context;
    this.#graceMs = graceMs;
    let settle!: { resolve: (value: unknown) => void; reject: (error: unknown) => void };
    this.settled = new Promise((resolve, reject) => (settle = { resolve, reject }));
    const onAbort = (): void => this.abort(context.signal.reason);
    this.#sandbox = spawn({
      message: (message) => this.#onMessage(message),
      error: (error) => this.#finish({ ok: false, error: new SandboxCrashError(task.name, error) }),
      exit: (code, signal) => {
        if (this.#exited) return;
        this.#exited = true;
        clearTimeout(this.#killTimer);
        context.signal.removeEventListener('abort', onAbort);
        const outcome: Outcome = this.#aborted ? { ok: false, error: this.#aborted.reason } : (this.#outcome ?? { ok: false, error: new SandboxExitError(task.name, code, signal) });
        if (outcome.ok) settle.resolve(outcome.value);
        else settle.reject(outcome.error);
      },
    });
    context.signal.addEventListener('abort', onAbort, { once: true });
    const { runId, scheduleId, fireTime, attempt, data, logger } = context;
    try {
      this.#sandbox.send({ type: 'run', task, context: { runId, scheduleId, fireTimeMs: fireTime.getTime(), attempt, data, logLevel: logger.level } });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.#finish({ ok: false, error: new TypeError(`the data of run "${runId}" cannot be sent to a sandbox (it must be structured-cloneable, as JSON is): ${message}`) });
      this.#sandbox.kill();
    }
    if (context.signal.aborted) onAbort();
  }

  /** Asks the handler to stop (its signal aborts with `reason`) and ends the sandbox after the grace period. */
  abort(reason: unknown): void {
    if (this.#exited || this.#outcome || this.#aborted) return;
    this.#aborted = { reason };
    this.#send({ type: 'abort', reason: serializeError(reason) });
    this.#killAfterGrace();
  }

  #onMessage(message: SandboxMessage): void {
    switch (message.type) {
      case 'log':
        try {
          forwardLogRecord(this.#context.logger, message.line);
        } catch {
          // A logger that throws must not take the worker down; the record is lost, as it would be inline.
        }
        break;
      case 'progress':
        Promise.resolve()
          .then(() => this.#context.progress(message.value))
          .then(
          () => this.#send({ type: 'progress-done', id: message.id }),
          (error: unknown) => this.#send({ type: 'progress-done', id: message.id, error: serializeError(error) }),
        );
        break;
      case 'result':
        this.#finish({ ok: true, value: message.value });
        break;
      case 'failure':
        this.#finish({ ok: false, error: deserializeError(message.error) });
        break;
      case 'crash':
        this.#finish({ ok: false, error: new SandboxCrashError(this.#task.name, deserializeError(message.error)) });
        break;
    }
  }

  /** Records the first outcome; the sandbox exits on its own, or is killed after the grace period. */
  #finish(outcome: Outcome): void {
    if (this.#outcome || this.#exited) return;
    this.#outcome = outcome;
    this.#killAfterGrace();
  }

  #killAfterGrace(): void {
    if (this.#killTimer || this.#exited) return;
    this.#killTimer = setTimeout(() => this.#sandbox.kill(), this.#graceMs);
  }

  #send(message: ParentMessage): void {
    if (this.#exited) return;
    try {
      this.#sandbox.send(message);
    } catch {
      // Only the run message carries data that may not clone; these cannot fail that way, and a
      // sandbox that is going away needs no answer.
    }
  }
}
