/** What a coordinator publishes about itself every few seconds. */
export interface CoordinatorHeartbeat {
  readonly id: string;
  readonly host: string;
  readonly pid: number;
  readonly version: string;
  readonly startedAt: string;
  /** Whether it held the leader lease at its last heartbeat, and with which epoch. */
  readonly leader: boolean;
  readonly epoch: number | null;
  /** Redis time minus its local time, in ms. */
  readonly clockSkewMs: number;
  /** Epoch ms after which the heartbeat is stale: the process is presumed dead. */
  readonly expiresAt: number;
}

/** What a worker publishes about itself every few seconds. */
export interface WorkerHeartbeat {
  readonly id: string;
  readonly host: string;
  readonly pid: number;
  readonly version: string;
  readonly queues: readonly string[];
  readonly tasks: readonly string[];
  readonly concurrency: number;
  readonly inFlight: number;
  /** Epoch ms of this heartbeat (the worker's clock), so readers can tell its age; absent from workers of earlier versions. */
  readonly beatAt?: number;
  readonly expiresAt: number;
}

/** The heartbeats of a hash (`HGETALL`) that have not expired at `nowMs`. */
export function liveHeartbeats<T extends { expiresAt: number }>(hash: Record<string, string>, nowMs: number): T[] {
  return Object.values(hash)
    .map((text) => {
      try {
        return JSON.parse(text) as T;
      } catch {
        return undefined;
      }
    })
    .filter((beat): beat is T => beat !== undefined && beat.expiresAt > nowMs);
}
