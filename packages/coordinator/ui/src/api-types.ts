/** The JSON shapes of the admin API answers the dashboard reads (see docs/api.md). */
import type { CoordinatorHeartbeat, Run as SharedRun, Schedule as SharedSchedule, WorkerHeartbeat } from '@sundial/shared';


/** A schedule with its state, as the API sends it. */
export type Schedule = SharedSchedule;

/** Run statuses. */
export const RUN_STATUSES = ['enqueued', 'running', 'succeeded', 'failed', 'missed', 'skipped', 'paused', 'cancelled'] as const;

/** One of {@link RUN_STATUSES}. */
export type RunStatus = (typeof RUN_STATUSES)[number];

/** Statuses after which a run changes no more. */
export const FINAL_RUN_STATUSES: readonly RunStatus[] = ['succeeded', 'failed', 'missed', 'skipped', 'paused', 'cancelled'];

/** A run, as the API sends it. */
export type Run = SharedRun;

/** A coordinator of the cluster. */
export type CoordinatorInfo = CoordinatorHeartbeat;

/** A live worker. */
export type WorkerInfo = WorkerHeartbeat;

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
