import { UnrecoverableError } from '../task-definition';

/** An error as it crosses the boundary of a sandbox (structured-cloneable). */
export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
  /** Its `code`, when it has a string one. */
  readonly code?: string;
  /** Whether it marks its run as not to be retried (an `UnrecoverableError`, by class, name or code). */
  readonly unrecoverable: boolean;
}

function isUnrecoverable(error: object): boolean {
  const { name, code } = error as { name?: unknown; code?: unknown };
  return error instanceof UnrecoverableError || name === 'UnrecoverableError' || code === 'UNRECOVERABLE';
}

/** Turns anything thrown into a `SerializedError`. */
export function serializeError(error: unknown): SerializedError {
  if (typeof error !== 'object' || error === null) {
    return { name: 'Error', message: `non-error thrown: ${String(error)}`, unrecoverable: false };
  }
  const { name, message, stack, code } = error as { name?: unknown; message?: unknown; stack?: unknown; code?: unknown };
  return {
    name: typeof name === 'string' ? name : 'Error',
    message: typeof message === 'string' ? message : String(error),
    ...(typeof stack === 'string' && { stack }),
    ...(typeof code === 'string' && { code }),
    unrecoverable: isUnrecoverable(error),
  };
}

/**
 * Rebuilds an error from its serialized form: an `UnrecoverableError` when it was one (so the run
 * is not retried), else an `Error` with the original name, message, stack and `code`.
 */
export function deserializeError(serialized: SerializedError): Error {
  const error = serialized.unrecoverable ? new UnrecoverableError(serialized.message) : new Error(serialized.message);
  if (!serialized.unrecoverable) error.name = serialized.name;
  if (serialized.stack !== undefined) error.stack = serialized.stack;
  if (serialized.code !== undefined && !serialized.unrecoverable) Object.defineProperty(error, 'code', { value: serialized.code, enumerable: true });
  return error;
}
