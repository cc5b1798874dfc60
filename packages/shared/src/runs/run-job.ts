import type { ScheduleSpec } from '../schedule/schedule-spec';
import type { RunKind } from './run-id';

/** The `data` of a BullMQ job that carries a Sundial run: what a worker needs to execute it. */
export interface RunJobData {
  readonly runId: string;
  readonly scheduleId: string;
  readonly task: string;
  readonly kind: RunKind;
  /** The nominal fire time, ISO-8601. */
  readonly fireTime: string;
  /**
   * When the run is due, jitter included, ISO-8601: set only on a run a coordinator with a
   * lookahead handed to BullMQ ahead of its time; the worker that takes it holds it until then.
   * Absent: due at once.
   */
  readonly fireAt?: string;
  /** The schedule's `data`. */
  readonly data: unknown;
  /** Time limit of each attempt in ms, when the schedule sets one. */
  readonly timeoutMs?: number;
}

/** The BullMQ job that carries a run: its queue, name (the task), data and options. */
export interface RunJob {
  readonly queue: string;
  readonly name: string;
  readonly data: RunJobData;
  readonly opts: {
    readonly priority?: number;
    readonly attempts?: number;
    readonly backoff?: { readonly type: 'fixed' | 'exponential'; readonly delay: number };
  };
}

/** The BullMQ job of a run of a schedule. */
export function buildRunJob(spec: ScheduleSpec, runId: string, kind: RunKind, nominalMs: number): RunJob {
  const data: RunJobData = {
    runId,
    scheduleId: spec.id,
    task: spec.task,
    kind,
    fireTime: new Date(nominalMs).toISOString(),
    data: spec.data,
    ...(spec.timeout === undefined ? {} : { timeoutMs: spec.timeout }),
  };
  const opts: RunJob['opts'] = {
    ...(spec.priority > 0 ? { priority: spec.priority } : {}),
    ...(spec.retry ? { attempts: spec.retry.attempts, backoff: { type: spec.retry.backoff ?? 'exponential', delay: spec.retry.delay ?? 1_000 } } : {}),
  };
  return { queue: spec.queue, name: spec.task, data, opts };
}
