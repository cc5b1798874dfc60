import { ValidationError } from '@sundial/shared';
import { join, relative } from 'node:path';
import { rejectionOf } from '../../../test/support/errors';
import { loadTaskModule } from './load-task-module';
import { TaskDefinitionError, TaskModuleError } from './task-errors';
import { testTaskContext } from '../../../test/support/task-context';

const FIXTURES = join(__dirname, '__fixtures__');

function fixture(name: string): string {
  return join(FIXTURES, name);
}


describe('loadTaskModule', () => {
  it('collects named exports that are task definitions, and ignores the others', async () => {
    const tasks = await loadTaskModule(fixture('named-exports.js'));
    expect(tasks.map((task) => task.name)).toEqual(['report', 'clean-up']);
    expect(tasks[0]!.queue).toBe('reports');
    await expect(tasks[0]!.handler(testTaskContext({ day: 1 }))).resolves.toEqual({ reported: { day: 1 } });
  });

  it('sets modulePath on each definition and freezes it', async () => {
    const tasks = await loadTaskModule(fixture('named-exports.js'));
    for (const task of tasks) {
      expect(task.modulePath).toBe(fixture('named-exports.js'));
      expect(Object.isFrozen(task)).toBe(true);
    }
  });

  it('collects a default export', async () => {
    const tasks = await loadTaskModule(fixture('default-export.js'));
    expect(tasks.map((task) => task.name)).toEqual(['nightly']);
  });

  it('takes a module that is itself one definition', async () => {
    const [task, ...others] = await loadTaskModule(fixture('single-export.js'));
    expect(others).toEqual([]);
    expect(task).toMatchObject({ name: 'single', retry: { attempts: 3 } });
  });

  it('collects arrays of definitions, counting one exported twice once', async () => {
    const tasks = await loadTaskModule(fixture('array-export.js'));
    expect(tasks.map((task) => task.name)).toEqual(['first', 'second']);
  });

  it('collects the tasks of classes decorated with @task', async () => {
    const tasks = await loadTaskModule(fixture('decorated-tasks.ts'));
    expect(tasks.map((task) => task.name).sort()).toEqual(['reports.daily', 'weekly']);
    const daily = tasks.find((task) => task.name === 'reports.daily')!;
    expect(daily.retry).toEqual({ attempts: 2 });
    expect(daily.modulePath).toBe(fixture('decorated-tasks.ts'));
    expect(await daily.handler(testTaskContext({ day: 'monday' }))).toBe('daily monday');
  });

  it('resolves a path relative to the working directory, and without its extension', async () => {
    const cwd = join(FIXTURES, '..');
    const tasks = await loadTaskModule('./__fixtures__/default-export', { cwd });
    expect(tasks[0]!.modulePath).toBe(fixture('default-export.js'));
    const fromProcessCwd = await loadTaskModule(relative(process.cwd(), fixture('default-export.js')));
    expect(fromProcessCwd.map((task) => task.name)).toEqual(['nightly']);
  });

  it('rejects a file that does not exist', async () => {
    const error = await rejectionOf(loadTaskModule('./missing-tasks.js', { cwd: FIXTURES }));
    expect(error).toBeInstanceOf(TaskModuleError);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe('--tasks');
    expect(error.message).toBe(`--tasks ./missing-tasks.js: no such file (looked for ${fixture('missing-tasks.js')})`);
  });

  it('rejects a module that throws while loading, with the first line of its message', async () => {
    const error = await rejectionOf(loadTaskModule('./throws-on-load.js', { cwd: FIXTURES }));
    expect(error).toBeInstanceOf(TaskModuleError);
    expect(error.message).toBe('--tasks ./throws-on-load.js: failed to load: DATABASE_URL is not set');
    expect((error.cause as Error).message).toContain('second line');
  });

  it('rejects a module that exports no task definitions', async () => {
    const error = await rejectionOf(loadTaskModule('./no-tasks.js', { cwd: FIXTURES }));
    expect(error).toBeInstanceOf(TaskModuleError);
    expect(error.message).toBe('--tasks ./no-tasks.js: exports no task definitions; export defineTask({ name, handler }) objects');
  });

  it('rejects two definitions with one name, naming both exports', async () => {
    const error = await rejectionOf(loadTaskModule('./duplicate-names.js', { cwd: FIXTURES }));
    expect(error).toBeInstanceOf(TaskModuleError);
    expect(error.message).toBe('--tasks ./duplicate-names.js: task "report" is defined twice (exports "report" and "otherReport")');
  });

  it('rejects an invalid definition, naming the task and its field', async () => {
    const error = await rejectionOf(loadTaskModule('./invalid-definition.js', { cwd: FIXTURES }));
    expect(error).toBeInstanceOf(TaskDefinitionError);
    expect((error as ValidationError).field).toBe('retry.attempts');
    expect(error.message).toBe('--tasks ./invalid-definition.js: task "report": retry.attempts: expected a whole number from 1 to 100, got 0');
  });

  it('names a definition without a usable name by its export', async () => {
    const error = await rejectionOf(loadTaskModule('./nameless-definition.js', { cwd: FIXTURES }));
    expect(error.message).toBe('--tasks ./nameless-definition.js: export "broken": name: expected a task name (1-200 letters, digits and . _ - :), got ""');
  });
});
