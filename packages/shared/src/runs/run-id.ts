/**
 * Run ids are deterministic, so a second enqueue of the same fire is recognised as such:
 * `<scheduleId>@<nominalMs>` for scheduled fires, `<scheduleId>@now-<requestMs>` for trigger-now,
 * `<scheduleId>@backfill-<nominalMs>` for backfill.
 */
export type RunKind = 'scheduled' | 'manual' | 'backfill';

/** The run id of a scheduled fire. */
export function scheduledRunId(scheduleId: string, nominalMs: number): string {
  return `${scheduleId}@${nominalMs}`;
}

/** The run id of a trigger-now request made at `requestMs`. */
export function manualRunId(scheduleId: string, requestMs: number): string {
  return `${scheduleId}@now-${requestMs}`;
}

/** The run id of a backfilled fire. */
export function backfillRunId(scheduleId: string, nominalMs: number): string {
  return `${scheduleId}@backfill-${nominalMs}`;
}
