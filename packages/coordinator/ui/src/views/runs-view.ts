import type { Run, Schedule } from '../api-types';
import { RUN_STATUSES } from '../api-types';
import { h, replaceChildren } from '../dom';
import { durationText } from '../format';
import { timeElement } from '../time-element';
import { LIVE_DEBOUNCE_MS, RUN_EVENT_TYPES, followEvents } from '../live-events';
import { runHref, scheduleHref } from '../router';
import { dataTable, statusBadge } from '../table';
import { loading, problemElement, sameData, type View, type ViewContext } from '../view';
import { FilterSelect, labelled } from './filters';

/** How often the schedule and task choices of the filters are read again. */
const OPTIONS_MS = 30_000;

/**
 * `#/runs`: the newest runs, filtered by status, task and schedule, kept live by the event
 * stream: a run event reads the list again.
 */
export class RunsView implements View {
  readonly title = 'Runs';
  readonly element: HTMLElement;
  private readonly status = new FilterSelect(() => void this.refresh(), RUN_STATUSES);
  private readonly task = new FilterSelect(() => void this.refresh());
  private readonly schedule = new FilterSelect(() => void this.refresh());
  private readonly results = h('div', {});
  private readonly problem = problemElement();
  private readonly stopEvents: () => void;
  private runs: Run[] | undefined;
  private pending: ReturnType<typeof setTimeout> | undefined;
  private optionsReadAt = 0;

  constructor(private readonly context: ViewContext) {
    this.element = h(
      'section',
      { class: 'view' },
      h('h1', {}, 'Runs'),
      h(
        'form',
        { class: 'filters', role: 'search', 'aria-label': 'Filter runs', onsubmit: (event: Event) => event.preventDefault() },
        labelled('Status', this.status.element),
        labelled('Task', this.task.element),
        labelled('Schedule', this.schedule.element),
      ),
      h('p', { class: 'summary' }, 'Live: new runs and status changes appear as they happen.'),
      this.problem,
      this.results,
    );
    this.stopEvents = followEvents(context.client, RUN_EVENT_TYPES, () => {
      clearTimeout(this.pending);
      this.pending = setTimeout(() => void this.refresh(), LIVE_DEBOUNCE_MS);
    });
  }

  async refresh(): Promise<void> {
    await loading(this.problem, async () => {
      const { client } = this.context;
      const readOptions = Date.now() - this.optionsReadAt >= OPTIONS_MS;
      const [runs, schedules] = await Promise.all([
        client.listRuns({ status: this.status.value, task: this.task.value, scheduleId: this.schedule.value, limit: 200 }),
        readOptions ? client.listSchedules() : undefined,
      ]);
      if (schedules) {
        this.optionsReadAt = Date.now();
        this.task.setValues([...new Set(schedules.map((schedule: Schedule) => schedule.task))]);
        this.schedule.setValues(schedules.map((schedule) => schedule.id));
      }
      if (sameData(runs, this.runs)) return;
      this.runs = runs;
      this.render(runs);
    });
  }

  dispose(): void {
    clearTimeout(this.pending);
    this.stopEvents();
  }

  private render(runs: readonly Run[]): void {
    const rows = runs.map((run) => [
      h('a', { href: runHref(run.runId) }, run.runId),
      h('a', { href: scheduleHref(run.scheduleId) }, run.scheduleId),
      timeElement(run.fireTime),
      statusBadge(run.status),
      String(run.attempts),
      durationText(run.durationMs),
    ]);
    replaceChildren(this.results, dataTable('Runs', ['Run', 'Schedule', 'Fire time', 'Status', 'Attempts', 'Duration'], rows, 'No runs match.'));
  }
}
