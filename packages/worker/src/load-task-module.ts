import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { validateTaskDefinition } from './define-task';
import { tasksOf } from './task-decorator';
import type { TaskDefinition } from './task-definition';
import { TaskDefinitionError, TaskModuleError } from './task-errors';

/** Options of `loadTaskModule`. */
export interface LoadTaskModuleOptions {
  /** What a relative path is resolved against. @defaultValue `process.cwd()` */
  readonly cwd?: string;
}

/** A task definition a module exports, and where: `report`, `default[1]`, `Reports.daily`. */
interface FoundTask {
  readonly value: unknown;
  readonly exportName: string;
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0]?.trim() ?? '';
}

function looksLikeDefinition(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'name' in value && 'handler' in value;
}

function resolveFile(given: string, absolute: string): string {
  try {
    return require.resolve(absolute);
  } catch {
    throw new TaskModuleError(given, absolute === given ? 'no such file' : `no such file (looked for ${absolute})`);
  }
}

async function importModule(given: string, file: string): Promise<unknown> {
  try {
    if (extname(file) !== '.mjs') {
      try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        return require(file) as unknown;
      } catch (error) {
        // An ES module under a `.js` name ("type": "module") that this Node.js cannot require:
        // before 20.19, or one with top-level await.
        const code = (error as { code?: unknown }).code;
        if (code !== 'ERR_REQUIRE_ESM' && code !== 'ERR_REQUIRE_ASYNC_MODULE') throw error;
      }
    }
    return (await import(pathToFileURL(file).href)) as unknown;
  } catch (error) {
    if (error instanceof TaskDefinitionError) throw error.from(`--tasks ${given}`);
    const message = error instanceof Error ? firstLine(error.message) : String(error);
    throw new TaskModuleError(given, `failed to load: ${message}`, { cause: error });
  }
}

/** The task definitions in one export: a definition, a decorated class, or an array of either. */
function tasksIn(value: unknown, exportName: string): FoundTask[] {
  if (looksLikeDefinition(value)) return [{ value, exportName }];
  if (typeof value === 'function') {
    return tasksOf(value).map((definition) => ({ value: definition, exportName: `${exportName}.${definition.name}` }));
  }
  if (Array.isArray(value)) {
    return value.flatMap((item: unknown, index) => (looksLikeDefinition(item) || typeof item === 'function' ? tasksIn(item, `${exportName}[${index}]`) : []));
  }
  return [];
}

function exportedTasks(exports: unknown): FoundTask[] {
  const whole = tasksIn(exports, 'module.exports');
  if (whole.length > 0 || typeof exports !== 'object' || exports === null || Array.isArray(exports)) return whole;
  return Object.keys(exports).flatMap((key) => (key === '__esModule' ? [] : tasksIn((exports as Record<string, unknown>)[key], key)));
}

/**
 * Loads the task definitions a module exports, for `sundial-worker --tasks MODULE`. The module is
 * required (CommonJS) or imported (an ES module: `.mjs`, or `.js` under `"type": "module"`).
 * Every export counts, named or default: a task definition (`defineTask(...)`, or a plain object
 * with `name` and `handler`, checked as `defineTask` checks it), a class with `@task` methods, or
 * an array of those. The same definition exported twice counts once. Each definition comes back
 * frozen with `modulePath` set to the module file, so that sandboxed executors can load it.
 *
 * @param modulePath - absolute, or relative to `options.cwd`
 * @throws TaskModuleError (field `--tasks`) when the file does not exist, throws while loading,
 *   exports no task definitions, or exports two with one name
 * @throws TaskDefinitionError (the task's field) for an invalid definition; its message starts
 *   with `--tasks MODULE:`
 */
export async function loadTaskModule(modulePath: string, options: LoadTaskModuleOptions = {}): Promise<TaskDefinition[]> {
  const file = resolveFile(modulePath, resolve(options.cwd ?? process.cwd(), modulePath));
  const exports = await importModule(modulePath, file);
  const seen = new Set<unknown>();
  const byName = new Map<string, { task: TaskDefinition; exportName: string }>();
  for (const { value, exportName } of exportedTasks(exports)) {
    if (seen.has(value)) continue;
    seen.add(value);
    let task: TaskDefinition;
    try {
      task = validateTaskDefinition({ ...(value as TaskDefinition), modulePath: file }, `export ${JSON.stringify(exportName)}`);
    } catch (error) {
      throw error instanceof TaskDefinitionError ? error.from(`--tasks ${modulePath}`) : error;
    }
    const earlier = byName.get(task.name);
    if (earlier) {
      throw new TaskModuleError(modulePath, `task "${task.name}" is defined twice (exports "${earlier.exportName}" and "${exportName}")`);
    }
    byName.set(task.name, { task, exportName });
  }
  if (byName.size === 0) throw new TaskModuleError(modulePath, 'exports no task definitions; export defineTask({ name, handler }) objects');
  return [...byName.values()].map(({ task }) => task);
}
