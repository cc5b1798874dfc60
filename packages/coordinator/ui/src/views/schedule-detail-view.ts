import type { NextFireTimes, Run, Schedule } from '../api-types';
import { COUNTDOWN_ATTRIBUTE, updateCountdowns } from '../countdowns';
import { describeTrigger } from '../describe-trigger';
import { h, replaceChildren } from '../dom';
import { durationText, localText, utcText } from '../format';
import { timeElement } from '../time-element';
import { LIVE_DEBOUNCE_MS, RUN_EVENT_TYPES, followEvents } from '../live-events';
import { runHref } from '../router';
import { dataTable, statusBadge } from '../table';
import { loading, problemElement, sameData, type View, type ViewContext } from '../view';
import { definitionList, jsonBlock } from './definition-list';
import { scheduleActions } from './schedule-actions';
import { stateOf, zoneOf } from './schedules-view';

const ms = (value: number | null | undefined) => (value === null || value === undefined ? 'none' : durationText(value));

/**
 * `#/schedules/<id>`: the schedule's fields, its next 10 fire times, its recent runs (live, by
 * the event stream), and the actions on it. The heading shows once the schedule is loaded.
 */
export class ScheduleDetailView implements View {
  readonly element: HTMLElement;
  private readonly content = h('div', {}, h('p', { class: 'loading' }, 'Loading…'));
  private readonly problem = problemElement();
  private readonly stopEvents: () => void;
  private pending: ReturnType<typeof setTimeout> | undefined;
  private data: { schedule: Schedule; next: NextFireTimes; runs: Run[] } | undefined;

  constructor(
    private readonly context: ViewContext,
    private readonly id: string,
  ) {
    this.element = h('section', { class: 'view' }, this.problem, this.content);
    // Its runs and its state change with events about it: read it again when one arrives.
    this.stopEvents = followEvents(context.client, [...RUN_EVENT_TYPES, 'schedule.updated', 'schedule.paused', 'schedule.resumed'], (event) => {
      if (event.scheduleId !== id) return;
      clearTimeout(this.pending);
      this.pending = setTimeout(() => void this.refresh(), LIVE_DEBOUNCE_MS);
    });
  }

  get title(): string {
    return this.id;
  }

  async refresh(): Promise<void> {
    await loading(this.problem, async () => {
      const { client } = this.context;
      const [schedule, next, runs] = await Promise.all([client.getSchedule(this.id), client.nextFireTimes(this.id, 10), client.listRuns({ scheduleId: this.id, limit: 20 })]);
      const data = { schedule, next, runs };
      if (sameData(data, this.data)) return;
      this.data = data;
      this.render();
    });
  }

  dispose(): void {
    clearTimeout(this.pending);
    this.stopEvents();
  }

  private render(): void {
    if (!this.data) return;
    const { schedule, next, runs } = this.data;
    const state = stateOf(schedule);
    const nextAt = state === 'finished' ? null : schedule.state.nextFireAt;
    const fields = definitionList([
      ['Task', schedule.task],
      ['Trigger', describeTrigger(schedule.trigger)],
      ['Trigger (JSON)', h('code', {}, JSON.stringify(schedule.trigger))],
      ['Time zone', zoneOf(schedule)],
      ['State', h('span', { class: `badge state-${state}` }, state)],
      ['Paused since', schedule.state.pausedAt === null ? undefined : timeElement(schedule.state.pausedAt)],
      ['Next fire', nextAt === null ? '—' : h('span', {}, timeElement(nextAt), ' (', h('span', { [COUNTDOWN_ATTRIBUTE]: nextAt }), ')')],
      ['Last fire', timeElement(schedule.state.lastFireTime)],
      ['Queue', schedule.queue],
      ['Labels', Object.keys(schedule.labels).length === 0 ? 'none' : h('span', {}, Object.entries(schedule.labels).map(([key, value]) => h('span', { class: 'label' }, `${key}=${value}`)))],
      ['Overlap', `${schedule.overlap}, at most ${schedule.maxInstances} at once`],
      ['Misfire grace', ms(schedule.misfireGrace)],
      ['Coalesce', `${schedule.coalesce}, catch up at most ${schedule.catchUpLimit}`],
      ['Retry', schedule.retry ? `${schedule.retry.attempts} attempts${schedule.retry.backoff ? `, ${schedule.retry.backoff} backoff` : ''}${schedule.retry.delay === undefined ? '' : `, delay ${ms(schedule.retry.delay)}`}` : 'none'],
      ['Timeout', ms(schedule.timeout)],
      ['Priority', String(schedule.priority)],
      ['Counts', `${schedule.state.enqueued} enqueued, ${schedule.state.missed} missed, ${schedule.state.skipped} skipped, ${schedule.state.pausedFires} passed while paused`],
      ['Data', schedule.data === undefined ? undefined : jsonBlock(schedule.data)],
      ['Created', timeElement(schedule.state.createdAt)],
      ['Updated', timeElement(schedule.state.updatedAt)],
    ]);
    const fireRows = next.fireTimes.map(({ fireAt }) => [h('time', { datetime: fireAt, title: utcText(fireAt) }, localText(fireAt)), h('time', { datetime: fireAt }, utcText(fireAt))]);
    const runRows = runs.map((run) => [
      h('a', { href: runHref(run.runId) }, run.runId),
      timeElement(run.fireTime),
      statusBadge(run.status),
      String(run.attempts),
      durationText(run.durationMs),
      run.error ?? '',
    ]);
    replaceChildren(
      this.content,
      h('h1', {}, schedule.id),
      scheduleActions(this.context.client, schedule, () => void this.refresh(), () => (location.hash = '#/schedules')),
      fields,
      h(
        'div',
        { class: 'columns' },
        dataTable('Next fire times', ['Local', 'UTC'], fireRows, 'No more fire times: the schedule is finished.'),
        dataTable('Recent runs', ['Run', 'Fire time', 'Status', 'Attempts', 'Duration', 'Error'], runRows, 'No runs yet.'),
      ),
    );
    updateCountdowns(this.content);
  }
}
