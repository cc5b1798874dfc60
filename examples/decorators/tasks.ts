// Tasks as methods of a class, with the @task decorator (TypeScript 5 standard decorators: no
// `experimentalDecorators` flag). sundial-worker loads JavaScript, so compile this file first.
//
// Run it (after `pnpm install && pnpm build` at the repository root, with a Redis in REDIS_URL):
//
//   npx tsc --target ES2022 --module node16 --moduleResolution node16 --strict --skipLibCheck \
//     --outDir examples/decorators/dist examples/decorators/tasks.ts
//   node_modules/.bin/sundial coordinator                                           # terminal 1
//   node_modules/.bin/sundial-worker --tasks examples/decorators/dist/tasks.js      # terminal 2
//   node_modules/.bin/sundial schedule add daily-report --task reports.daily \
//     --cron "0 6 * * *" --tz Europe/Berlin --data '{"team":"finance"}'            # terminal 3
//   node_modules/.bin/sundial schedule trigger daily-report
//   node_modules/.bin/sundial runs list --schedule daily-report
import { task, tasksOf, UnrecoverableError, type TaskContext } from '@sundial/worker';

/** What the schedules of these tasks put in `data`. */
interface ReportData {
  readonly team?: string;
}

/** A stand-in for a database client that the methods share through `this`. */
class ReportStore {
  private readonly rows = new Map<string, { team: string; day: string }>();

  /** Inserts or replaces the report of one run: running it twice leaves one row. */
  async upsert(runId: string, row: { team: string; day: string }): Promise<void> {
    this.rows.set(runId, row);
  }

  get size(): number {
    return this.rows.size;
  }
}

class Reports {
  // Instance methods run on one instance, created with no arguments when a task of the class
  // first runs (or on the instance given to tasksOf).
  private readonly store = new ReportStore();

  /** Task "reports.daily": options as defineTask takes them, without `handler`. */
  @task({ name: 'reports.daily', retry: { attempts: 3, backoff: 'exponential', delayMs: 2_000 }, timeoutMs: 60_000 })
  async daily({ runId, fireTime, data, logger }: TaskContext<ReportData>): Promise<{ team: string; day: string; stored: number }> {
    if (!data.team) throw new UnrecoverableError('data.team: expected the team to report on');
    const day = fireTime.toISOString().slice(0, 10);
    await this.store.upsert(runId, { team: data.team, day });
    logger.info({ team: data.team, day }, 'daily report stored');
    return { team: data.team, day, stored: this.store.size };
  }

  /** Task "weekly": named after the method when no name is given. */
  @task({ concurrency: 1 })
  async weekly({ fireTime }: TaskContext): Promise<string> {
    return `week of ${fireTime.toISOString().slice(0, 10)}`;
  }

  /** Task "ping": a static method runs on the class; `@task` also works without options. */
  @task
  static ping(): string {
    return 'pong';
  }
}

/**
 * The task definitions of the class's @task methods, the same objects defineTask returns.
 * sundial-worker also finds the tasks of an exported decorated class by itself; exporting
 * `tasksOf(...)` makes them usable with startWorker({ tasks }) too.
 */
export const reportTasks = tasksOf(Reports);
