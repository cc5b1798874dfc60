import { formatDuration, type Schedule } from '@sundial/shared';
import { formatDetails, formatTable, type Table } from './output';

/** What a schedule is doing: firing, paused, or done (its trigger has no more fire times). */
export type ScheduleState = 'active' | 'paused' | 'finished';

/** The state of a schedule, as `schedule list --state` filters it. */
export function scheduleState(schedule: Schedule): ScheduleState {
  if (schedule.state.paused) return 'paused';
  return schedule.state.nextFireTime === null ? 'finished' : 'active';
}

function labelsText(labels: Readonly<Record<string, string>>): string {
  const entries = Object.entries(labels);
  return entries.length === 0 ? '-' : entries.map(([key, value]) => `${key}=${value}`).join(' ');
}

function retryText(retry: Schedule['retry']): string {
  if (retry === undefined) return "the task's";
  const parts = [`${retry.attempts} attempt${retry.attempts === 1 ? '' : 's'}`, retry.backoff ?? 'exponential'];
  if (retry.delay !== undefined) parts.push(`delay ${formatDuration(retry.delay)}`);
  return parts.join(', ');
}

function nextFireText(schedule: Schedule): string {
  const { nextFireTime, nextFireAt } = schedule.state;
  if (nextFireTime === null) return '-';
  return nextFireAt !== null && nextFireAt !== nextFireTime ? `${nextFireTime} (due ${nextFireAt} with jitter)` : nextFireTime;
}

/**
 * A schedule for people: its definition and state, one labelled line each, e.g.
 *
 * ```text
 * id:              nightly-report
 * task:            report
 * trigger:         {"cron":"0 2 * * *","timezone":"Europe/Berlin"}
 * ...
 * state:           active
 * next fire time:  2026-03-08T01:00:00.000Z
 * ```
 */
export function formatScheduleDetails(schedule: Schedule): string {
  const { state } = schedule;
  return formatDetails([
    ['id', schedule.id],
    ['task', schedule.task],
    ['trigger', JSON.stringify(schedule.trigger)],
    ['data', JSON.stringify(schedule.data) ?? 'null'],
    ['queue', schedule.queue],
    ['labels', labelsText(schedule.labels)],
    ['misfire grace', schedule.misfireGrace === null ? 'none' : formatDuration(schedule.misfireGrace)],
    ['coalesce', schedule.coalesce],
    ['catch-up limit', String(schedule.catchUpLimit)],
    ['overlap', schedule.overlap],
    ['max instances', String(schedule.maxInstances)],
    ['priority', String(schedule.priority)],
    ['retry', retryText(schedule.retry)],
    ['timeout', schedule.timeout === undefined ? "the task's" : formatDuration(schedule.timeout)],
    ['state', scheduleState(schedule)],
    ['next fire time', nextFireText(schedule)],
    ['last fire time', state.lastFireTime ?? '-'],
    ['runs', `${state.enqueued} enqueued, ${state.missed} missed, ${state.skipped} skipped`],
  ]);
}

/** Schedules as a table: one row each, times in UTC. */
export function scheduleTable(schedules: readonly Schedule[]): Table {
  return {
    columns: [
      { header: 'ID' },
      { header: 'TASK' },
      { header: 'TRIGGER' },
      { header: 'STATE' },
      { header: 'NEXT FIRE (UTC)' },
      { header: 'ENQUEUED', align: 'right' },
      { header: 'MISSED', align: 'right' },
      { header: 'SKIPPED', align: 'right' },
    ],
    rows: schedules.map((schedule) => [
      schedule.id,
      schedule.task,
      JSON.stringify(schedule.trigger),
      scheduleState(schedule),
      schedule.state.nextFireTime ?? '-',
      String(schedule.state.enqueued),
      String(schedule.state.missed),
      String(schedule.state.skipped),
    ]),
    empty: 'no schedules',
  };
}

/** A page of `schedule list` for people: the table, and how to get the next page when there is one. */
export function formatSchedulePage(page: { schedules: readonly Schedule[]; nextCursor: string | null }): string {
  const table = formatTable(scheduleTable(page.schedules));
  return page.nextCursor === null ? table : `${table}more: --cursor ${page.nextCursor}\n`;
}
