import type { SerializedError } from './serialized-error';

/** The task a sandbox is to run: it loads `modulePath` and takes the export named `name`. */
export interface SandboxTask {
  readonly name: string;
  readonly modulePath: string;
}

/** Parent to sandbox: run one attempt (sent once, first). */
export interface RunMessage {
  readonly type: 'run';
  readonly task: SandboxTask;
  readonly context: {
    readonly runId: string;
    readonly scheduleId: string;
    readonly fireTimeMs: number;
    readonly attempt: number;
    readonly data: unknown;
    /** The level of the attempt's logger, so the sandbox drops what the parent would. */
    readonly logLevel: string;
  };
}

/** Parent to sandbox: abort the attempt's signal with this reason. */
export interface AbortMessage {
  readonly type: 'abort';
  readonly reason: SerializedError;
}

/** Parent to sandbox: the progress report `id` was recorded (or failed with `error`). */
export interface ProgressDoneMessage {
  readonly type: 'progress-done';
  readonly id: number;
  readonly error?: SerializedError;
}

/** What the parent sends a sandbox. */
export type ParentMessage = RunMessage | AbortMessage | ProgressDoneMessage;

/** Sandbox to parent: one log record, a pino JSON line. */
export interface LogMessage {
  readonly type: 'log';
  readonly line: string;
}

/** Sandbox to parent: the handler reported progress; answered by a `progress-done`. */
export interface ProgressMessage {
  readonly type: 'progress';
  readonly id: number;
  readonly value: number | object;
}

/** Sandbox to parent: the handler returned this value. */
export interface ResultMessage {
  readonly type: 'result';
  readonly value: unknown;
}

/** Sandbox to parent: the handler threw (or the task could not be loaded). */
export interface FailureMessage {
  readonly type: 'failure';
  readonly error: SerializedError;
}

/** Sandbox to parent: an exception nobody caught (a throw in a timer, an unhandled rejection). */
export interface CrashMessage {
  readonly type: 'crash';
  readonly error: SerializedError;
}

/** What a sandbox sends its parent. */
export type SandboxMessage = LogMessage | ProgressMessage | ResultMessage | FailureMessage | CrashMessage;

/** The messages that end an attempt. */
export type OutcomeMessage = ResultMessage | FailureMessage | CrashMessage;
