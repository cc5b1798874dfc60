import type { TaskContext } from '@sundial/worker';
import pino from 'pino';

/**
 * A complete handler context for unit tests of tasks and executors: run `nightly@1767225600000`,
 * attempt 1, a silent logger, a signal that never aborts unless one is given.
 */
export function testTaskContext<Data>(data: Data, overrides: Partial<TaskContext<Data>> = {}): TaskContext<Data> {
  return {
    runId: 'nightly@1767225600000',
    scheduleId: 'nightly',
    fireTime: new Date(1_767_225_600_000),
    attempt: 1,
    data,
    signal: new AbortController().signal,
    logger: pino({ level: 'silent' }),
    progress: async () => undefined,
    ...overrides,
  };
}
