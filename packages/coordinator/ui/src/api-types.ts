/** The JSON shapes of the admin API answers the dashboard reads (see docs/api.md). */
import type {
  ClusterStatus as SharedClusterStatus,
  CoordinatorHeartbeat,
  QueueDepth as SharedQueueDepth,
  Run as SharedRun,
  Schedule as SharedSchedule,
  SundialEvent as SharedSundialEvent,
  WorkerHeartbeat,
} from '@sundial/shared';


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
export type QueueDepth = SharedQueueDepth;

/** `GET /api/v1/status`. */
export type ClusterStatus = SharedClusterStatus;

/** One event of the namespace's event stream. */
export type SundialEvent = SharedSundialEvent;

/** `GET /api/v1/schedules/{id}/next`. */
export interface NextFireTimes {
  readonly fireTimes: readonly { readonly fireTime: string; readonly fireAt: string }[];
}
