import { ValidationError } from '@sundial/shared';

/** The error `action` throws; fails the test when it throws nothing. */
export function thrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected it to throw');
}

/** The error `promise` rejects with; fails the test when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

/** The `ValidationError` `action` throws; fails the test when it throws nothing or another error. */
export function validationErrorOf(action: () => unknown): ValidationError {
  const error = thrownBy(action);
  if (error instanceof ValidationError) return error;
  throw error;
}
