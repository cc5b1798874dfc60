import type { RunKind } from '../runs/run-id';

/** An operator's request for a run (trigger now, backfill), waiting for the leader. */
export interface RunRequest {
  readonly runId: string;
  readonly kind: Exclude<RunKind, 'scheduled'>;
  readonly nominalMs: number;
  readonly fireAtMs: number;
  /** Run even when the overlap policy would not. */
  readonly force: boolean;
}
