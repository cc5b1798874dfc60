import type { Run, Schedule } from '../api-types';
import { COUNTDOWN_ATTRIBUTE, updateCountdowns } from '../countdowns';
import { describeTrigger } from '../describe-trigger';
import { h, replaceChildren } from '../dom';
import { durationText } from '../format';
import { timeElement } from '../time-element';
import { scheduleHref } from '../router';
import { dataTable, statusBadge } from '../table';
import { loading, problemElement, sameData, type View, type ViewContext } from '../view';
import { FilterSelect, labelled } from './filters';

/** A schedule's state in words: `active`, `paused` or `finished` (no fire time left). */
export function stateOf(schedule: Schedule): 'active' | 'paused' | 'finished' {
  if (schedule.state.paused) return 'paused';
  return schedule.state.nextFireTime === null ? 'finished' : 'active';
}

/** The time zone a trigger reads its wall-clock fields in. */
export const zoneOf = (schedule: Schedule): string => (typeof schedule.trigger.timezone === 'string' ? schedule.trigger.timezone : 'UTC');

/** Whether a schedule carries the label `key=value` (or, without `=`, a label key or value containing the text). */
function hasLabel(schedule: Schedule, filter: string): boolean {
  const at = filter.indexOf('=');
  if (at > 0) return schedule.labels[filter.slice(0, at).trim()] === filter.slice(at + 1).trim();
  const text = filter.toLowerCase();
  return Object.entries(schedule.labels).some(([key, value]) => key.toLowerCase().includes(text) || value.toLowerCase().includes(text));
}

/**
 * `#/schedules`: every schedule with its trigger in words, state, next fire time and a live
 * countdown, and its last run; searched and filtered in the page.
 */
export class SchedulesView implements View {
  readonly title = 'Schedules';
  readonly element: HTMLElement;
  private readonly search = h('input', { type: 'search', autocomplete: 'off' });
  private readonly task = new FilterSelect(() => this.render());
  private readonly queue = new FilterSelect(() => this.render());
  private readonly state = new FilterSelect(() => this.render(), ['active', 'paused', 'finished']);
  private readonly label = h('input', { type: 'text', placeholder: 'team=ops', autocomplete: 'off' });
  private readonly results = h('div', {});
  private readonly problem = problemElement();
  private data: { schedules: Schedule[]; lastRuns: Record<string, Run> } | undefined;

  constructor(private readonly context: ViewContext) {
    this.search.addEventListener('input', () => this.render());
    this.label.addEventListener('input', () => this.render());
    this.element = h(
      'section',
      { class: 'view' },
      h('h1', {}, 'Schedules'),
      h(
        'form',
        { class: 'filters', role: 'search', 'aria-label': 'Filter schedules', onsubmit: (event: Event) => event.preventDefault() },
        labelled('Search', this.search),
        labelled('Task', this.task.element),
        labelled('Queue', this.queue.element),
        labelled('State', this.state.element),
        labelled('Label', this.label),
      ),
      this.problem,
      this.results,
    );
  }

  async refresh(): Promise<void> {
    await loading(this.problem, async () => {
      const [schedules, runs] = await Promise.all([this.context.client.listSchedules(), this.context.client.listRuns({ limit: 1000 })]);
      const lastRuns: Record<string, Run> = {};
      for (const run of runs) lastRuns[run.scheduleId] ??= run;
      const data = { schedules, lastRuns };
      if (sameData(data, this.data)) return;
      this.data = data;
      this.task.setValues([...new Set(schedules.map((schedule) => schedule.task))]);
      this.queue.setValues([...new Set(schedules.map((schedule) => schedule.queue))]);
      this.render();
    });
  }

  dispose(): void {}

  private matches(schedule: Schedule): boolean {
    const search = this.search.value.trim().toLowerCase();
    if (search !== '' && !schedule.id.toLowerCase().includes(search) && !schedule.task.toLowerCase().includes(search)) return false;
    if (this.task.value !== undefined && schedule.task !== this.task.value) return false;
    if (this.queue.value !== undefined && schedule.queue !== this.queue.value) return false;
    if (this.state.value !== undefined && stateOf(schedule) !== this.state.value) return false;
    const label = this.label.value.trim();
    return label === '' || hasLabel(schedule, label);
  }

  private render(): void {
    if (!this.data) return;
    const { schedules, lastRuns } = this.data;
    const shown = schedules.filter((schedule) => this.matches(schedule));
    const rows = shown.map((schedule) => {
      const last = lastRuns[schedule.id];
      const state = stateOf(schedule);
      const next = state === 'finished' ? null : schedule.state.nextFireAt;
      return [
        h('a', { href: scheduleHref(schedule.id) }, schedule.id),
        schedule.task,
        h('span', { title: JSON.stringify(schedule.trigger) }, describeTrigger(schedule.trigger)),
        zoneOf(schedule),
        h('span', { class: `badge state-${state}` }, state),
        timeElement(next),
        next === null ? '—' : h('span', { [COUNTDOWN_ATTRIBUTE]: next, class: 'countdown' }),
        last ? h('span', {}, statusBadge(last.status), ' ', timeElement(last.fireTime)) : '—',
        durationText(last?.durationMs),
      ];
    });
    const summary = h('p', { class: 'summary' }, `${shown.length} of ${schedules.length} schedule${schedules.length === 1 ? '' : 's'}`);
    replaceChildren(
      this.results,
      summary,
      dataTable('Schedules', ['ID', 'Task', 'Trigger', 'Time zone', 'State', 'Next fire', 'Countdown', 'Last run', 'Duration'], rows, schedules.length === 0 ? 'No schedules yet.' : 'No schedule matches the filters.'),
    );
    updateCountdowns(this.results);
  }
}
