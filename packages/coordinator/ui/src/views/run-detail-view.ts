import { FINAL_RUN_STATUSES, type Run } from '../api-types';
import { confirmAction } from '../confirm-dialog';
import { h, replaceChildren } from '../dom';
import { durationText } from '../format';
import { timeElement } from '../time-element';
import { runHref, scheduleHref } from '../router';
import { statusBadge } from '../table';
import { loading, problemElement, sameData, type View, type ViewContext } from '../view';
import { definitionList, jsonBlock } from './definition-list';
import { EventList } from './event-list';

/**
 * `#/runs/<runId>`: the run's fields, its result, its events ("Logs") and the actions that
 * apply: Retry for a failed run, Cancel for one not finished.
 */
export class RunDetailView implements View {
  readonly element: HTMLElement;
  private readonly content = h('div', {}, h('p', { class: 'loading' }, 'Loading…'));
  private readonly problem = problemElement();
  private readonly events: EventList;
  private run: Run | undefined;

  constructor(
    private readonly context: ViewContext,
    private readonly runId: string,
  ) {
    this.events = new EventList(context.client, runId);
    this.element = h('section', { class: 'view' }, this.problem, this.content, this.events.element);
  }

  get title(): string {
    return `Run ${this.runId}`;
  }

  async refresh(): Promise<void> {
    await loading(this.problem, async () => {
      const [run] = await Promise.all([this.context.client.getRun(this.runId), this.events.refresh()]);
      if (sameData(run, this.run)) return;
      this.run = run;
      this.render(run);
    });
  }

  dispose(): void {}

  private render(run: Run): void {
    const { client } = this.context;
    const changed = () => void this.refresh();
    const actions = h(
      'div',
      { class: 'actions', role: 'group', 'aria-label': 'Actions' },
      run.status === 'failed' &&
        h('button', { type: 'button', onclick: () => confirmAction({ title: `Retry run ${run.runId}`, content: [h('p', {}, 'Puts the run back in its queue with the full budget of attempts.')], action: async () => void (await client.retryRun(run.runId)), done: changed }) }, 'Retry'),
      !FINAL_RUN_STATUSES.includes(run.status) &&
        h('button', { type: 'button', class: 'danger', onclick: () => confirmAction({ title: `Cancel run ${run.runId}`, content: [h('p', {}, 'A waiting run is removed from its queue; a running one is told to abort.')], action: async () => void (await client.cancelRun(run.runId)), done: changed }) }, 'Cancel'),
    );
    replaceChildren(
      this.content,
      h('h1', {}, `Run ${run.runId}`),
      actions,
      definitionList([
        ['Schedule', h('a', { href: scheduleHref(run.scheduleId) }, run.scheduleId)],
        ['Status', h('span', {}, statusBadge(run.status), run.reason ? ` (${run.reason})` : '')],
        ['Kind', run.kind],
        ['Queue', run.queue],
        ['Fire time', timeElement(run.fireTime)],
        ['Due at', timeElement(run.fireAt)],
        ['Fire times', run.count > 1 ? String(run.count) : undefined],
        ['Last fire time', run.count > 1 ? timeElement(run.lastFireTime) : undefined],
        ['Attempts', String(run.attempts)],
        ['Worker', run.worker ?? '—'],
        ['Duration', durationText(run.durationMs)],
        ['Error', run.error === null ? '—' : h('pre', { class: 'error' }, run.error)],
        ['Result', jsonBlock(run.result ?? null)],
        ['Epoch', run.epoch === null ? '—' : String(run.epoch)],
        ['Created', timeElement(run.createdAt)],
        ['Updated', timeElement(run.updatedAt)],
        ['Logs', h('a', { href: `${runHref(run.runId)}`, onclick: (event: Event) => { event.preventDefault(); this.events.element.scrollIntoView(); this.events.element.focus(); } }, 'Logs')],
      ]),
    );
  }
}
