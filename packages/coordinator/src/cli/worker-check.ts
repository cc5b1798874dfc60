import { ValidationError, type SundialOperations } from '@sundial/shared';

/** The tasks live workers of the client's namespace serve, from their heartbeats. */
export async function servedTasks(client: SundialOperations): Promise<ReadonlySet<string>> {
  const { workers } = await client.status();
  return new Set(workers.flatMap((worker) => worker.tasks));
}

/**
 * The error `--strict` raises for a task no live worker serves: what is only a warning without
 * it. Nothing has been written when it is raised.
 *
 * @param field - the flag or file field that names the task, e.g. `--task` or `schedules[2].task`
 */
export function unservedTaskError(field: string, task: string): ValidationError {
  return new ValidationError(field, `no live worker serves task ${JSON.stringify(task)}; with --strict nothing is written until one does (or drop --strict)`);
}
