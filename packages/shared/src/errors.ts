/**
 * Every error Sundial raises on purpose is a `SundialError` with a stable `code`, so callers
 * branch on `code` (or `instanceof`), never on message text.
 */
export abstract class SundialError extends Error {
  /** A stable, machine-readable identifier of the kind of error. */
  abstract readonly code: string;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Bad input from a user: a configuration value, an API body, a CLI flag or a schedule file. */
export class ValidationError extends SundialError {
  readonly code: string = 'INVALID_INPUT';

  /**
   * @param field - the path of the offending field, e.g. `trigger.cron` or `and[1].every`
   * @param problem - what is wrong and what was expected
   */
  constructor(
    readonly field: string,
    readonly problem: string,
    options?: ErrorOptions,
  ) {
    super(field ? `${field}: ${problem}` : problem, options);
  }
}

/** A trigger in the JSON form is malformed, or names an invalid cron field, zone or duration. */
export class InvalidTriggerError extends ValidationError {
  override readonly code = 'INVALID_TRIGGER';
}

/**
 * An `and` trigger whose members did not agree on an instant within the iteration bound: the
 * members rarely or never coincide, and Sundial stops instead of searching forever.
 */
export class TriggerIterationLimitError extends SundialError {
  readonly code = 'TRIGGER_ITERATION_LIMIT';

  constructor(
    readonly iterations: number,
    readonly fromMs: number,
  ) {
    super(
      `and: the member triggers found no common fire time within ${iterations} steps after ${new Date(fromMs).toISOString()}; ` +
        'check that they can coincide (for example cron minutes that an interval never reaches)',
    );
  }
}

/** A schedule file, API body or flag names a schedule (or run) that does not exist. */
export class NotFoundError extends SundialError {
  readonly code = 'NOT_FOUND';

  constructor(
    readonly kind: 'schedule' | 'run',
    readonly id: string,
  ) {
    super(`${kind} "${id}" not found`);
  }
}

/** A schedule id is already taken and the conflict policy is `error`. */
export class ConflictError extends SundialError {
  readonly code = 'CONFLICT';

  constructor(readonly id: string) {
    super(`schedule "${id}" already exists; replace or keep it (onConflict, or --on-conflict replace|keep), or update it`);
  }
}

/**
 * A coordinator tried to change state after losing its lease (a newer leader holds it). The
 * change was not made; the caller must stop acting as leader.
 */
export class LeaseLostError extends SundialError {
  readonly code = 'LEASE_LOST';

  constructor(readonly epoch: number) {
    super(`the leader lease of epoch ${epoch} is no longer held; nothing was changed`);
  }
}
