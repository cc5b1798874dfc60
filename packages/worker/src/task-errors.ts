import { ValidationError } from '@sundial/shared';

/**
 * A task definition is invalid. The message names the task and the field:
 * `task "report": retry.attempts: expected a whole number from 1 to 100, got 0`; `field` holds
 * the field alone (`retry.attempts`).
 */
export class TaskDefinitionError extends ValidationError {
  override readonly code = 'INVALID_TASK';

  /**
   * @param task - how the message names the task: `task "report"`, or `task #2` when its name is unusable
   * @param field - the path of the offending field in the definition, empty when the definition is not an object
   * @param problem - what is wrong and what was expected
   */
  constructor(
    readonly task: string,
    field: string,
    problem: string,
    options?: ErrorOptions,
  ) {
    super(field, problem, options);
    this.message = field ? `${task}: ${field}: ${problem}` : `${task}: ${problem}`;
  }

  /** The same error, its message prefixed with where the definition came from (`--tasks ./tasks.js`). */
  from(source: string): TaskDefinitionError {
    return new TaskDefinitionError(`${source}: ${this.task}`, this.field, this.problem, { cause: this });
  }
}

/** Two task definitions given to one registry share a name. */
export class DuplicateTaskError extends ValidationError {
  override readonly code = 'DUPLICATE_TASK';

  constructor(readonly taskName: string) {
    super('name', `task "${taskName}" is defined twice`);
    this.message = `task "${taskName}" is defined twice`;
  }
}

/**
 * The module given to `sundial-worker --tasks` cannot be used: it does not exist, throws while
 * loading, exports no task definitions, or exports two with one name. `field` is `--tasks`; the
 * message names the module as given: `--tasks ./tasks.js: exports no task definitions; ...`.
 */
export class TaskModuleError extends ValidationError {
  override readonly code = 'INVALID_TASK_MODULE';

  /**
   * @param modulePath - the module's path as the user gave it
   * @param problem - what is wrong, on one line
   */
  constructor(
    readonly modulePath: string,
    problem: string,
    options?: ErrorOptions,
  ) {
    super('--tasks', problem, options);
    this.message = `--tasks ${modulePath}: ${problem}`;
  }
}
