import { ValidationError } from '@sundial/shared';
import { thrownBy } from '../../../test/support/errors';
import { defineTask } from './define-task';
import { TaskRegistry } from './task-registry';
import { DuplicateTaskError, TaskDefinitionError } from './task-errors';

const handler = async (): Promise<void> => undefined;

describe('TaskRegistry', () => {
  const report = defineTask({ name: 'report', handler, queue: 'reports' });
  const cleanUp = defineTask({ name: 'clean-up', handler });
  const invoice = defineTask<{ customer: string }>({ name: 'invoice', handler: async ({ data }) => data.customer, queue: 'billing' });

  it('looks tasks up by name', () => {
    const registry = new TaskRegistry([report, cleanUp, invoice]);
    expect(registry.size).toBe(3);
    expect(registry.get('report')).toBe(report);
    expect(registry.has('clean-up')).toBe(true);
    expect(registry.get('missing')).toBeUndefined();
    expect(registry.has('missing')).toBe(false);
    expect(registry.names()).toEqual(['report', 'clean-up', 'invoice']);
    expect([...registry]).toEqual([report, cleanUp, invoice]);
  });

  it('lists each queue once, the default for tasks that name none', () => {
    const registry = new TaskRegistry([report, cleanUp, defineTask({ name: 'summary', handler, queue: 'reports' }), invoice]);
    expect(registry.queues()).toEqual(['reports', 'default', 'billing']);
    expect(registry.queueOf(cleanUp)).toBe('default');
    expect(new TaskRegistry([cleanUp], { defaultQueue: 'main' }).queues()).toEqual(['main']);
  });

  it('rejects two tasks with one name', () => {
    const error = thrownBy(() => new TaskRegistry([report, cleanUp, defineTask({ name: 'report', handler })]));
    expect(error).toBeInstanceOf(DuplicateTaskError);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toBe('task "report" is defined twice');
    expect((error as ValidationError).field).toBe('name');
  });

  it('checks plain definitions, naming a nameless one by its position', () => {
    const registry = new TaskRegistry([{ name: 'plain', handler }]);
    expect(Object.isFrozen(registry.get('plain'))).toBe(true);
    const error = thrownBy(() => new TaskRegistry([report, { handler } as never]));
    expect(error).toBeInstanceOf(TaskDefinitionError);
    expect((error as Error).message).toBe('task #2: name: expected a task name (1-200 letters, digits and . _ - :)');
  });

  it.each(['thread', 'process'] as const)('rejects a %s task without a module path', (executor) => {
    const error = thrownBy(() => new TaskRegistry([defineTask({ name: 'crunch', handler, executor })]));
    expect(error).toBeInstanceOf(TaskDefinitionError);
    expect((error as ValidationError).field).toBe('executor');
    expect((error as Error).message).toMatch(/^task "crunch": executor: "\w+" runs the task in a sandbox .* no modulePath/);
    expect(new TaskRegistry([defineTask({ name: 'crunch', handler, executor, modulePath: '/srv/tasks.js' })]).size).toBe(1);
  });
});
