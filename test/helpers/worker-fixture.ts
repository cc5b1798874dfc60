import { parseRun, type Run, type RunJobData, type RunStatus } from '@sundial/shared';
import { startWorker, type SundialWorker, type WorkerOptions } from '@sundial/worker';
import { Queue } from 'bullmq';
import pino, { type Logger } from 'pino';
import type { FireLoopOptions } from '../../packages/coordinator/src/fire-loop/fire-loop';
import { testRedisUrl } from '../support/namespace';
import { leaderFixture, type LeaderFixture } from './leader-fixture';

/** Log lines a worker wrote, parsed. */
export interface CapturedLogs {
  readonly logger: Logger;
  readonly lines: Record<string, unknown>[];
  /** The lines whose `msg` is `message`. */
  withMessage(message: string): Record<string, unknown>[];
}

/** A pino logger that keeps its lines (at `info` and above) in memory. */
export function captureLogs(): CapturedLogs {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { logger, lines, withMessage: (message) => lines.filter((line) => line.msg === message) };
}

/** Polls `probe` until it returns a value other than undefined; fails after `timeoutMs` saying what it waited for. */
export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const HOUR = 3_600_000;

/**
 * A leader fixture (a fire loop ticked by hand, test/helpers/leader-fixture.ts) plus Sundial
 * workers started in this process against the same namespace of the test Redis. Runs fired with
 * {@link WorkerFixture.fire} go through the coordinator's path (schedule, run record, BullMQ job);
 * {@link WorkerFixture.addJobs} adds BullMQ jobs directly, for tests that need many runs and no
 * run records (a run without a record is executed and not recorded).
 */
export interface WorkerFixture {
  readonly leader: LeaderFixture;
  /** Starts a worker of the namespace; closed by {@link WorkerFixture.close} unless closed before. */
  start(options: Omit<WorkerOptions, 'connection' | 'namespace'>): Promise<SundialWorker>;
  /**
   * Adds an hourly schedule (overlap `allow`) for `task` and fires it `count` times by ticking the
   * loop; returns the run ids.
   */
  fire(scheduleId: string, task: string, schedule?: Record<string, unknown>, count?: number): Promise<string[]>;
  /** Adds `count` jobs for `task` to `queue` directly; returns their run ids. */
  addJobs(queue: string, task: string, count: number, data?: unknown): Promise<string[]>;
  /** A BullMQ queue of the namespace. */
  queue(name?: string): Queue;
  /** The run record, as the client reads it. */
  run(runId: string): Promise<Run>;
  /** The run record as stored, without the job state the client reads for runs in flight. */
  record(runId: string): Promise<Run>;
  /** Waits until the stored record has one of `statuses`. */
  settled(runId: string, statuses?: RunStatus[]): Promise<Run>;
  /** `type attempt` of the events of a run, oldest first: `run.started 1`, `run.retrying 1`, ... */
  events(runId: string): Promise<string[]>;
  close(): Promise<void>;
}

/** Sets up a {@link WorkerFixture} in a fresh namespace; `loopOptions` go to its leader's fire loop (e.g. a lookahead). */
export async function workerFixture(loopOptions: Partial<FireLoopOptions> = {}): Promise<WorkerFixture> {
  const leader = await leaderFixture(loopOptions);
  const workers: SundialWorker[] = [];
  const queues = new Map<string, Queue>();
  let jobCount = 0;
  const queue = (name = 'default'): Queue => {
    let existing = queues.get(name);
    if (!existing) {
      existing = new Queue(name, { connection: leader.redis, prefix: leader.keys.bullPrefix });
      queues.set(name, existing);
    }
    return existing;
  };
  const record = async (runId: string): Promise<Run> => {
    const run = parseRun(await leader.redis.hgetall(leader.keys.run(runId)));
    if (!run) throw new Error(`run ${runId} has no record`);
    return run;
  };
  return {
    leader,
    queue,
    record,
    start: async (options) => {
      const worker = await startWorker({ logger: pino({ level: 'silent' }), ...options, connection: testRedisUrl(), namespace: leader.namespace });
      workers.push(worker);
      return worker;
    },
    fire: async (scheduleId, task, schedule = {}, count = 1) => {
      const { schedule: added } = await leader.client.add({ id: scheduleId, task, trigger: { every: '1h' }, overlap: 'allow', ...schedule });
      const first = Date.parse(added.state.nextFireTime as string);
      const runIds: string[] = [];
      for (let index = 0; index < count; index++) {
        leader.clock.nowMs = first + index * HOUR;
        await leader.loop.tick(leader.lease);
        runIds.push(`${scheduleId}@${first + index * HOUR}`);
      }
      return runIds;
    },
    addJobs: async (queueName, task, count, data = {}) => {
      const jobs = Array.from({ length: count }, () => {
        jobCount += 1;
        const runData: RunJobData = { runId: `direct-${task}@${jobCount}`, scheduleId: `direct-${task}`, task, kind: 'scheduled', fireTime: new Date().toISOString(), data };
        return { name: task, data: runData, opts: { jobId: runData.runId } };
      });
      await queue(queueName).addBulk(jobs);
      return jobs.map((job) => job.data.runId);
    },
    run: (runId) => leader.client.getRun(runId),
    settled: (runId, statuses = ['succeeded', 'failed']) =>
      waitFor(`run ${runId} to be ${statuses.join(' or ')}`, async () => {
        const run = parseRun(await leader.redis.hgetall(leader.keys.run(runId)));
        return run && statuses.includes(run.status) ? run : undefined;
      }),
    events: async (runId) => {
      const entries = await leader.redis.xrange(leader.keys.events, '-', '+');
      return entries
        .map(([, fields]) => {
          const map = new Map<string, string>();
          for (let i = 0; i + 1 < fields.length; i += 2) map.set(fields[i] as string, fields[i + 1] as string);
          return map;
        })
        .filter((fields) => fields.get('runId') === runId)
        .map((fields) => [fields.get('type'), fields.get('attempt')].filter(Boolean).join(' '));
    },
    close: async () => {
      await Promise.all(workers.map((worker) => worker.close()));
      await Promise.all([...queues.values()].map((each) => each.close()));
      await leader.close();
    },
  };
}
