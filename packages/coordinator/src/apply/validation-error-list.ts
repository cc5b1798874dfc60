import { ValidationError } from '@sundial/shared';

/**
 * Several validation errors found together, such as every bad entry of a schedule file, so the
 * user fixes them all in one go. It is reported as one line per error.
 */
export class ValidationErrorList extends ValidationError {
  /**
   * @param errors - the errors, in the order found; at least one
   */
  constructor(readonly errors: readonly ValidationError[]) {
    super('', errors.map((error) => error.message).join('\n'));
  }
}
