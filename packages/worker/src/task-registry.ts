import { validateTaskDefinition } from './define-task';
import type { TaskDefinition } from './task-definition';
import { sandboxModulePath } from './executors/sandbox-module-path';
import { DuplicateTaskError } from './task-errors';

/** Options of a `TaskRegistry`. */
export interface TaskRegistryOptions {
  /** The queue of tasks that name none. @defaultValue `"default"` */
  readonly defaultQueue?: string;
}

/**
 * The tasks of one worker, by name. Built from definitions (what `defineTask`, `tasksOf` or
 * `loadTaskModule` return, or plain objects, which it checks as `defineTask` does); names are
 * unique.
 */
export class TaskRegistry implements Iterable<TaskDefinition> {
  readonly #tasks = new Map<string, TaskDefinition>();
  /** The queue of tasks that name none. */
  readonly defaultQueue: string;

  /**
   * @throws TaskDefinitionError for an invalid definition (named `task #n` when its name is unusable),
   *   and for a `thread` or `process` task without `modulePath` (field `executor`)
   * @throws DuplicateTaskError when two definitions share a name: `task "x" is defined twice`
   */
  constructor(definitions: Iterable<TaskDefinition<never, unknown>>, options: TaskRegistryOptions = {}) {
    this.defaultQueue = options.defaultQueue ?? 'default';
    let position = 0;
    for (const input of definitions) {
      position += 1;
      const task = validateTaskDefinition(input, `task #${position}`);
      if (this.#tasks.has(task.name)) throw new DuplicateTaskError(task.name);
      if (task.executor === 'thread' || task.executor === 'process') sandboxModulePath(task, task.executor);
      this.#tasks.set(task.name, task);
    }
  }

  /** How many tasks it holds. */
  get size(): number {
    return this.#tasks.size;
  }

  /** Whether it holds a task of that name. */
  has(name: string): boolean {
    return this.#tasks.has(name);
  }

  /** The task of that name, if any. */
  get(name: string): TaskDefinition | undefined {
    return this.#tasks.get(name);
  }

  /** The names of its tasks, in the order they were given. */
  names(): string[] {
    return [...this.#tasks.keys()];
  }

  /** The queue a task is served from: its own, else the default queue. */
  queueOf(task: TaskDefinition): string {
    return task.queue ?? this.defaultQueue;
  }

  /** The queues its tasks are served from, each once, in the order they first appear. */
  queues(): string[] {
    return [...new Set([...this.#tasks.values()].map((task) => this.queueOf(task)))];
  }

  /** Its tasks, in the order they were given. */
  [Symbol.iterator](): Iterator<TaskDefinition> {
    return this.#tasks.values();
  }
}

