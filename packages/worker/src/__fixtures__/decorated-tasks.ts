// A class with @task methods, exported as TypeScript compiles it; loaded through ts-jest.
import { task } from '../task-decorator';
import type { TaskContext } from '../task-definition';

/** Report tasks, defined with `@task`. */
export class Reports {
  readonly greeting = 'daily';

  @task({ name: 'reports.daily', retry: { attempts: 2 } })
  daily(context: TaskContext<{ day: string }>): string {
    return `${this.greeting} ${context.data.day}`;
  }

  @task()
  static weekly(): string {
    return 'weekly';
  }
}

/** A class without tasks, which the loader ignores. */
export class Unrelated {}
