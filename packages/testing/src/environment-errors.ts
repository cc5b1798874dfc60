import { SundialError } from '@sundial/shared';

/** Time was advanced on an environment that is not running: not started yet, or closed. */
export class EnvironmentNotRunningError extends SundialError {
  readonly code = 'ENVIRONMENT_NOT_RUNNING';

  constructor(readonly state: 'created' | 'starting' | 'closing' | 'closed') {
    super(
      state === 'created' || state === 'starting'
        ? 'the test environment is not started: await env.start() (or create it with await createTestEnvironment(...)) before advancing time'
        : 'the test environment is closed: create a new one to go on',
    );
  }
}

/** `advanceTo` or `advanceBy` was called while another advance of the same environment was still going on. */
export class AdvanceInProgressError extends SundialError {
  readonly code = 'ADVANCE_IN_PROGRESS';

  constructor() {
    super('another advance of this test environment is still going on: await it before advancing again');
  }
}

/** A run still unsettled, as {@link RunsNotSettledError} names it. */
export interface UnsettledRun {
  readonly runId: string;
  readonly task: string;
  readonly queue: string;
  /** Its BullMQ job state: `active` (its handler runs), `waiting`, `delayed`, ... */
  readonly state: string;
}

/**
 * Runs did not settle (finish, or wait for a retry) within the environment's bound of real time:
 * a handler that never returns, or a task no worker of the environment serves. The runs were
 * cancelled, so the environment stays usable.
 */
export class RunsNotSettledError extends SundialError {
  readonly code = 'RUNS_NOT_SETTLED';

  constructor(
    readonly runs: readonly UnsettledRun[],
    readonly timeoutMs: number,
  ) {
    const tasks = [...new Set(runs.map((run) => run.task))];
    const described = runs.map((run) => `${run.runId} (${run.state === 'active' ? 'still running' : `${run.state}, never taken`})`).join(', ');
    super(
      `task ${tasks.map((task) => `"${task}"`).join(', ')} did not settle within ${timeoutMs} ms of real time: ${described}. ` +
        'The runs were cancelled. Give the task a timeout, make sure the environment has the task, raise settleTimeoutMs, ' +
        "or advance with { wait: 'started' } while the test holds a handler back.",
    );
  }

  /** The tasks of the unsettled runs. */
  get tasks(): string[] {
    return [...new Set(this.runs.map((run) => run.task))];
  }
}
