/** The JSON shapes of the admin API answers the dashboard reads (see docs/api.md). */

/** A schedule with its state. */
export interface Schedule {
  readonly id: string;
  readonly task: string;
  readonly trigger: Readonly<Record<string, unknown>>;
  readonly data?: unknown;
  readonly queue: string;
  readonly misfireGrace: number | null;
  readonly coalesce: string;
  readonly catchUpLimit: number;
  readonly overlap: string;
  readonly maxInstances: number;
  readonly priority: number;
  readonly retry?: { readonly attempts: number; readonly backoff?: string; readonly delay?: number };
  readonly timeout?: number;
  readonly labels: Readonly<Record<string, string>>;
  readonly state: {
    readonly paused: boolean;
    readonly pausedAt: string | null;
    readonly nextFireTime: string | null;
    readonly nextFireAt: string | null;
    readonly lastFireTime: string | null;
    readonly enqueued: number;
    readonly missed: number;
    readonly skipped: number;
    readonly pausedFires: number;
    readonly version: number;
    readonly createdAt: string;
    readonly updatedAt: string;
  };
}

/** Run statuses. */
export const RUN_STATUSES = ['enqueued', 'running', 'succeeded', 'failed', 'missed', 'skipped', 'paused', 'cancelled'] as const;

/** One of {@link RUN_STATUSES}. */
export type RunStatus = (typeof RUN_STATUSES)[number];

/** Statuses after which a run changes no more. */
export const FINAL_RUN_STATUSES: readonly RunStatus[] = ['succeeded', 'failed', 'missed', 'skipped', 'paused', 'cancelled'];

/** A run. */
export interface Run {
  readonly runId: string;
  readonly scheduleId: string;
  readonly kind: 'scheduled' | 'manual' | 'backfill';
  readonly queue: string;
  readonly fireTime: string;
  readonly fireAt: string;
  readonly status: RunStatus;
  readonly reason: string | null;
  readonly count: number;
  readonly lastFireTime: string;
  readonly attempts: number;
  readonly epoch: number | null;
  readonly error: string | null;
  readonly result: unknown;
  readonly worker: string | null;
  readonly durationMs: number | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** A coordinator of the cluster. */
export interface CoordinatorInfo {
  readonly id: string;
  readonly host: string;
  readonly pid: number;
  readonly version: string;
  readonly startedAt: string;
  readonly leader: boolean;
  readonly epoch: number | null;
  readonly clockSkewMs: number;
}

/** A live worker. */
export interface WorkerInfo {
  readonly id: string;
  readonly host: string;
  readonly pid: number;
  readonly version: string;
  readonly queues: readonly string[];
  readonly tasks: readonly string[];
  readonly concurrency: number;
  readonly inFlight: number;
  /** Epoch ms of its last heartbeat (the worker's clock). */
  readonly beatAt?: number;
  /** Epoch ms after which its heartbeat is stale. */
  readonly expiresAt: number;
}

/** The job counts of one queue. */
export interface QueueDepth {
  readonly name: string;
  readonly waiting: number;
  readonly active: number;
  readonly delayed: number;
  readonly failed: number;
}

/** `GET /api/v1/status`. */
export interface ClusterStatus {
  readonly namespace: string;
  readonly epoch: number;
  readonly coordinators: readonly CoordinatorInfo[];
  readonly workers: readonly WorkerInfo[];
  readonly schedules: number;
  readonly activeSchedules: number;
  readonly outbox: number;
  readonly pendingRequests: number;
  readonly queues: readonly QueueDepth[];
}

/** One event of the namespace's event stream. */
export interface SundialEvent {
  readonly id?: string;
  readonly type: string;
  readonly time: string;
  readonly scheduleId?: string;
  readonly runId?: string;
  readonly status?: string;
  readonly reason?: string;
  readonly count?: number;
  readonly attempt?: number;
  readonly worker?: string;
  readonly coordinator?: string;
  readonly error?: string;
}

/** `GET /api/v1/schedules/{id}/next`. */
export interface NextFireTimes {
  readonly fireTimes: readonly { readonly fireTime: string; readonly fireAt: string }[];
}
