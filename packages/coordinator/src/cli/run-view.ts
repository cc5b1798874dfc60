import type { Run } from '@sundial/shared';
import { formatDetails, type Table } from './output';

/** What else there is to say about a run: why it did not run, the fire times it stands for, its error. */
function runNote(run: Run): string {
  const parts: string[] = [];
  if (run.reason !== null) parts.push(run.reason);
  if (run.count > 1) parts.push(`${run.count} fire times to ${run.lastFireTime}`);
  if (run.error !== null) parts.push(run.error);
  return parts.join('; ');
}

/** Runs as a table, newest first as the client lists them; times in UTC. */
export function runTable(runs: readonly Run[]): Table {
  return {
    columns: [
      { header: 'RUN' },
      { header: 'FIRE TIME (UTC)' },
      { header: 'STATUS' },
      { header: 'ATTEMPTS', align: 'right' },
      { header: 'NOTE' },
    ],
    rows: runs.map((run) => [run.runId, run.fireTime, run.status, String(run.attempts), runNote(run)]),
    empty: 'no runs',
  };
}

/** One run for people, one labelled line per field. */
export function formatRunDetails(run: Run): string {
  return formatDetails([
    ['run', run.runId],
    ['schedule', run.scheduleId],
    ['kind', run.kind],
    ['queue', run.queue],
    ['fire time', run.fireTime],
    ['due at', run.fireAt],
    ['status', run.status],
    ['reason', run.reason ?? '-'],
    ...(run.count > 1 ? ([['fire times', `${run.count}, to ${run.lastFireTime}`]] as const) : []),
    ['attempts', String(run.attempts)],
    ['error', run.error ?? '-'],
    ['created', run.createdAt],
    ['updated', run.updatedAt],
  ]);
}
