import { thrownBy } from '../../../test/support/errors';
import { testTaskContext } from '../../../test/support/task-context';
import { defineTask } from './define-task';
import { task, tasksOf } from './task-decorator';
import type { TaskContext, TaskDefinition } from './task-definition';
import { TaskDefinitionError } from './task-errors';


function withoutHandler({ handler: _handler, ...rest }: TaskDefinition): Omit<TaskDefinition, 'handler'> {
  return rest;
}

describe('@task', () => {
  it('yields the definition defineTask does, and both run with the same context', async () => {
    class Reports {
      readonly prefix = 'report for';

      @task({ name: 'daily-report', queue: 'reports', concurrency: 2, retry: { attempts: 3, backoff: 'fixed', delayMs: 100 }, timeoutMs: 5_000 })
      async daily(context: TaskContext<{ day: string }>): Promise<string> {
        return `${this.prefix} ${context.data.day} (${context.runId}, attempt ${context.attempt})`;
      }
    }
    const defined = defineTask({
      name: 'daily-report',
      queue: 'reports',
      concurrency: 2,
      retry: { attempts: 3, backoff: 'fixed', delayMs: 100 },
      timeoutMs: 5_000,
      handler: async (context: TaskContext<{ day: string }>) => `report for ${context.data.day} (${context.runId}, attempt ${context.attempt})`,
    });
    const [decorated] = tasksOf(Reports);
    expect(tasksOf(Reports)).toHaveLength(1);
    expect(withoutHandler(decorated!)).toEqual(withoutHandler(defined));
    expect(Object.isFrozen(decorated)).toBe(true);
    const context = testTaskContext({ day: '2026-01-01' });
    const expected = 'report for 2026-01-01 (nightly@1767225600000, attempt 1)';
    await expect(defined.handler(context)).resolves.toBe(expected);
    await expect(decorated!.handler(context)).resolves.toBe(expected);
  });

  it('names the task after the method by default, bare or with options', () => {
    class Jobs {
      @task
      cleanUp(): string {
        return 'clean';
      }

      @task()
      vacuum(): string {
        return 'vacuum';
      }
    }
    expect(tasksOf(Jobs).map((definition) => definition.name)).toEqual(['cleanUp', 'vacuum']);
  });

  it('creates one instance lazily, on the first run, shared by the class tasks', async () => {
    let constructed = 0;
    class Counter {
      count = 0;
      constructor() {
        constructed += 1;
      }

      @task()
      increment(): number {
        this.count += 1;
        return this.count;
      }

      @task()
      read(): number {
        return this.count;
      }
    }
    const [increment, read] = tasksOf(Counter);
    expect(constructed).toBe(0);
    await increment!.handler(testTaskContext(undefined));
    await increment!.handler(testTaskContext(undefined));
    expect(await read!.handler(testTaskContext(undefined))).toBe(2);
    expect(constructed).toBe(1);
  });

  it('runs on a given instance', async () => {
    class Greeter {
      constructor(private readonly greeting: string) {}

      @task()
      greet(context: TaskContext<string>): string {
        return `${this.greeting}, ${context.data}`;
      }
    }
    const [greet] = tasksOf(new Greeter('hello'));
    expect(await greet!.handler(testTaskContext('world'))).toBe('hello, world');
  });

  it('runs a static method on its class', async () => {
    class Maintenance {
      static runs = 0;

      @task({ name: 'maintenance.rotate' })
      static rotate(): number {
        this.runs += 1;
        return this.runs;
      }
    }
    const [rotate] = tasksOf(Maintenance);
    expect(rotate!.name).toBe('maintenance.rotate');
    expect(await rotate!.handler(testTaskContext(undefined))).toBe(1);
    expect(Maintenance.runs).toBe(1);
  });

  it('returns the same frozen definitions on every call, and none for a plain class', () => {
    class Plain {
      run(): void {}
    }
    class Decorated {
      @task()
      run(): void {}
    }
    expect(tasksOf(Decorated)).toBe(tasksOf(Decorated));
    expect(tasksOf(Plain)).toEqual([]);
    expect(tasksOf({})).toEqual([]);
  });

  it('inherits the tasks of a base class, and lets a subclass override them', async () => {
    class Base {
      @task()
      ping(): string {
        return 'base';
      }
    }
    class Derived extends Base {
      @task({ name: 'ping', retry: { attempts: 2 } })
      override ping(): string {
        return 'derived';
      }

      @task()
      pong(): string {
        return 'pong';
      }
    }
    expect(tasksOf(Base).map((definition) => definition.name)).toEqual(['ping']);
    const [ping, pong] = tasksOf(Derived);
    expect(ping!.retry).toEqual({ attempts: 2 });
    expect(await ping!.handler(testTaskContext(undefined))).toBe('derived');
    expect(pong!.name).toBe('pong');
  });

  it('rejects invalid options when the class is defined', () => {
    const error = thrownBy(() => {
      class Broken {
        @task({ retry: { attempts: 0 } })
        run(): void {}
      }
      return Broken;
    });
    expect(error).toBeInstanceOf(TaskDefinitionError);
    expect((error as Error).message).toBe('task "run": retry.attempts: expected a whole number from 1 to 100, got 0');
  });

  it('needs an explicit name for a private method', () => {
    const error = thrownBy(() => {
      class Hidden {
        @task()
        #secret(): void {}

        reveal(): void {
          this.#secret();
        }
      }
      return Hidden;
    });
    expect((error as Error).message).toMatch(/^task "#secret": name: expected a task name/);
  });

  it('runs a named private method', async () => {
    class Hidden {
      @task({ name: 'hidden' })
      #secret(): string {
        return 'found';
      }

      reveal(): string {
        return this.#secret();
      }
    }
    expect(await tasksOf(Hidden)[0]!.handler(testTaskContext(undefined))).toBe('found');
  });
});
