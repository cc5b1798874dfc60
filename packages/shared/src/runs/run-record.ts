import type { RunKind } from './run-id';

/**
 * The status of a run. `enqueued`, `running`, `succeeded` and `failed` follow its BullMQ job;
 * `missed`, `skipped`, `paused` and `cancelled` are recorded by Sundial, with a reason.
 */
export type RunStatus = 'enqueued' | 'running' | 'succeeded' | 'failed' | 'missed' | 'skipped' | 'paused' | 'cancelled';

/** Every {@link RunStatus}. */
export const RUN_STATUSES: readonly RunStatus[] = ['enqueued', 'running', 'succeeded', 'failed', 'missed', 'skipped', 'paused', 'cancelled'];

/** Statuses a run keeps for good: it is over, and no longer follows a BullMQ job. */
export const FINAL_RUN_STATUSES: readonly RunStatus[] = ['succeeded', 'failed', 'missed', 'skipped', 'paused', 'cancelled'];

/** One run, or a range of fire times recorded together (`count` > 1), as the run history shows it. */
export interface Run {
  readonly runId: string;
  readonly scheduleId: string;
  readonly kind: RunKind;
  readonly queue: string;
  /** Nominal fire time, ISO-8601. */
  readonly fireTime: string;
  /** When it was due, jitter included, ISO-8601. */
  readonly fireAt: string;
  readonly status: RunStatus;
  /**
   * Why it was not run (`misfire-grace`, `coalesced`, `catch-up-limit`, `overlap`, `buffer-full`,
   * `paused`, `trigger-changed`, `cancel-previous`, `operator` for a run cancelled by hand), or a note on a run in flight: `buffered` (waits
   * for the running one, `overlap: buffer-one`), `cancel-requested` (a newer run asked it to stop).
   */
  readonly reason: string | null;
  /** How many fire times this record stands for (ranges of missed or skipped fires). */
  readonly count: number;
  /** The last nominal fire time of a range, ISO-8601. */
  readonly lastFireTime: string;
  /**
   * Attempts started so far: the number of the latest, as its worker recorded it (the record also
   * keeps the round it belongs to); before a worker records one, what the run's BullMQ job counts.
   */
  readonly attempts: number;
  /** The fencing epoch of the leader that enqueued it; null for runs never enqueued. */
  readonly epoch: number | null;
  /** The last error, for failed runs. */
  readonly error: string | null;
  /** The handler's result (JSON), for succeeded runs. */
  readonly result: unknown;
  /** The worker that ran the last attempt. */
  readonly worker: string | null;
  /** How long the last attempt took, in ms. */
  readonly durationMs: number | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** Reads a run hash; undefined when empty. */
export function parseRun(hash: Record<string, string>): Run | undefined {
  if (!hash.runId) return undefined;
  const isoOf = (text: string | undefined) => new Date(Number(text ?? 0)).toISOString();
  return {
    runId: hash.runId,
    scheduleId: hash.scheduleId ?? '',
    kind: (hash.kind ?? 'scheduled') as RunKind,
    queue: hash.queue ?? 'default',
    fireTime: isoOf(hash.fireTime),
    fireAt: isoOf(hash.fireAt),
    status: (hash.status ?? 'enqueued') as RunStatus,
    reason: hash.reason ? hash.reason : null,
    count: Number(hash.count ?? 1),
    lastFireTime: isoOf(hash.lastFireTime ?? hash.fireTime),
    attempts: Number(hash.attempts ?? 0),
    epoch: hash.epoch ? Number(hash.epoch) : null,
    error: hash.error ? hash.error : null,
    result: hash.result ? (JSON.parse(hash.result) as unknown) : null,
    worker: hash.worker ? hash.worker : null,
    durationMs: hash.durationMs ? Number(hash.durationMs) : null,
    createdAt: isoOf(hash.createdAt),
    updatedAt: isoOf(hash.updatedAt),
  };
}
