import { ValidationError } from '@sundial/shared';
import { thrownBy } from '../../../test/support/errors';
import { defineTask, validateTaskDefinition } from './define-task';
import { TaskDefinitionError } from './task-errors';

const handler = async (): Promise<string> => 'done';

describe('defineTask', () => {
  it('returns a frozen definition of the same shape', () => {
    const retry = { attempts: 3, backoff: 'fixed', delayMs: 500 } as const;
    const task = defineTask({ name: 'report', handler, queue: 'reports', retry, timeoutMs: 1_000, executor: 'inline' });
    expect(task).toEqual({ name: 'report', handler, queue: 'reports', retry, timeoutMs: 1_000, executor: 'inline' });
    expect(task.handler).toBe(handler);
    expect(Object.isFrozen(task)).toBe(true);
    expect(Object.isFrozen(task.retry)).toBe(true);
    expect(task.retry).not.toBe(retry);
  });

  it('returns a definition it already checked as it is', () => {
    const task = defineTask({ name: 'report', handler });
    expect(defineTask(task)).toBe(task);
  });

  it('leaves out fields given as undefined', () => {
    expect(Object.keys(defineTask({ name: 'report', handler, queue: undefined }))).toEqual(['name', 'handler']);
  });

  it('accepts every valid field', () => {
    const backoff = (attempt: number): number => attempt * 100;
    expect(() =>
      defineTask({
        name: 'billing:invoice.send_v2-x',
        handler,
        queue: 'billing.high_priority-1',
        concurrency: 4,
        globalConcurrency: 10,
        retry: { attempts: 100, backoff, delayMs: 0, maxDelayMs: 0, jitter: 1 },
        timeoutMs: 1,
        executor: 'process',
        modulePath: '/srv/app/tasks.js',
      }),
    ).not.toThrow();
  });

  const invalid: Array<[string, Record<string, unknown>, string]> = [
    ['name missing', { handler }, 'task: name: expected a task name (1-200 letters, digits and . _ - :)'],
    ['name with a space', { name: 'daily report', handler }, 'task "daily report": name: expected a task name (1-200 letters, digits and . _ - :), got "daily report"'],
    ['name too long', { name: 'x'.repeat(201), handler }, 'task: name: expected a task name (1-200 letters, digits and . _ - :), got "xxxxxxxx'],
    ['name not a string', { name: 7, handler }, 'task: name: expected a task name (1-200 letters, digits and . _ - :), got 7'],
    ['handler missing', { name: 'report' }, 'task "report": handler: expected a function'],
    ['handler not a function', { name: 'report', handler: 'run' }, 'task "report": handler: expected a function, got "run"'],
    ['queue with a colon', { name: 'report', handler, queue: 'a:b' }, 'task "report": queue: expected a queue name (1-100 letters, digits and . _ -, no ":"), got "a:b"'],
    ['queue empty', { name: 'report', handler, queue: '' }, 'task "report": queue: expected a queue name'],
    ['concurrency 0', { name: 'report', handler, concurrency: 0 }, 'task "report": concurrency: expected a positive whole number, got 0'],
    ['concurrency fractional', { name: 'report', handler, concurrency: 1.5 }, 'task "report": concurrency: expected a positive whole number, got 1.5'],
    ['globalConcurrency negative', { name: 'report', handler, globalConcurrency: -1 }, 'task "report": globalConcurrency: expected a positive whole number, got -1'],
    ['retry not an object', { name: 'report', handler, retry: 3 }, 'task "report": retry: expected a retry policy { attempts, backoff?, delayMs?, maxDelayMs?, jitter? }, got 3'],
    ['retry.attempts 0', { name: 'report', handler, retry: { attempts: 0 } }, 'task "report": retry.attempts: expected a whole number from 1 to 100, got 0'],
    ['retry.attempts 101', { name: 'report', handler, retry: { attempts: 101 } }, 'task "report": retry.attempts: expected a whole number from 1 to 100, got 101'],
    ['retry.attempts missing', { name: 'report', handler, retry: {} }, 'task "report": retry.attempts: expected a whole number from 1 to 100'],
    ['retry.backoff unknown', { name: 'report', handler, retry: { attempts: 2, backoff: 'linear' } }, 'task "report": retry.backoff: expected "fixed", "exponential" or a function (attempt, error) => ms, got "linear"'],
    ['retry.delayMs negative', { name: 'report', handler, retry: { attempts: 2, delayMs: -1 } }, 'task "report": retry.delayMs: expected a whole number of milliseconds, 0 or more, got -1'],
    ['retry.maxDelayMs below delayMs', { name: 'report', handler, retry: { attempts: 2, delayMs: 500, maxDelayMs: 100 } }, 'task "report": retry.maxDelayMs: expected at least delayMs (500), got 100'],
    ['retry.maxDelayMs below the default delayMs', { name: 'report', handler, retry: { attempts: 2, maxDelayMs: 999 } }, 'task "report": retry.maxDelayMs: expected at least delayMs (1000), got 999'],
    ['retry.delayMs above the default maxDelayMs', { name: 'report', handler, retry: { attempts: 2, delayMs: 4_000_000 } }, 'task "report": retry.delayMs: expected at most 3600000, the default maxDelayMs'],
    ['retry.jitter above 1', { name: 'report', handler, retry: { attempts: 2, jitter: 1.5 } }, 'task "report": retry.jitter: expected a number from 0 to 1, got 1.5'],
    ['retry with an unknown field', { name: 'report', handler, retry: { attempts: 2, delay: 5 } }, 'task "report": retry.delay: unknown field'],
    ['timeoutMs 0', { name: 'report', handler, timeoutMs: 0 }, 'task "report": timeoutMs: expected a positive whole number of milliseconds, got 0'],
    ['timeoutMs as text', { name: 'report', handler, timeoutMs: '5s' }, 'task "report": timeoutMs: expected a positive whole number of milliseconds, got "5s"'],
    ['executor unknown', { name: 'report', handler, executor: 'cluster' }, 'task "report": executor: expected "inline", "thread" or "process", got "cluster"'],
    ['modulePath relative', { name: 'report', handler, modulePath: './tasks.js' }, 'task "report": modulePath: expected an absolute file path, got "./tasks.js"'],
    ['an unknown field', { name: 'report', handler, retries: 3 }, 'task "report": retries: unknown field'],
  ];

  it.each(invalid)('rejects %s', (_case, input, message) => {
    const error = thrownBy(() => defineTask(input as never));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toBeInstanceOf(TaskDefinitionError);
    expect((error as Error).message.startsWith(message)).toBe(true);
    expect((error as Error).message).not.toContain('\n');
  });

  it('names the field alone in `field`', () => {
    const error = thrownBy(() => defineTask({ name: 'report', handler, retry: { attempts: 0 } })) as TaskDefinitionError;
    expect(error.field).toBe('retry.attempts');
    expect(error.task).toBe('task "report"');
    expect(error.code).toBe('INVALID_TASK');
  });

  it('rejects what is not an object', () => {
    expect((thrownBy(() => validateTaskDefinition(42, 'task #2')) as Error).message).toBe(
      'task #2: expected a task definition { name, handler, ... }, got 42',
    );
  });

  it('names an unnamed task by its position when one is given', () => {
    expect((thrownBy(() => validateTaskDefinition({ handler }, 'task #2')) as Error).message).toMatch(/^task #2: name: expected a task name/);
  });
});
