import type { TaskDefinition } from '../task-definition';
import { TaskDefinitionError } from '../task-errors';

/**
 * The module file a sandbox loads a task from: its `modulePath`, which `loadTaskModule` (and so
 * `sundial-worker --tasks`) sets.
 *
 * @param kind - the sandbox it is to run in
 * @throws TaskDefinitionError naming `executor` when the definition has no `modulePath`
 */
export function sandboxModulePath(task: TaskDefinition, kind: 'thread' | 'process'): string {
  if (task.modulePath !== undefined) return task.modulePath;
  throw new TaskDefinitionError(
    `task ${JSON.stringify(task.name)}`,
    'executor',
    `"${kind}" runs the task in a sandbox that loads it from its module file, but the definition has no modulePath; ` +
      'load it with sundial-worker --tasks MODULE, or set modulePath to the absolute path of a module that exports it',
  );
}
