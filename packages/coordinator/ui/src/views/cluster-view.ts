import type { ClusterStatus, SundialEvent } from '../api-types';
import { h, replaceChildren } from '../dom';
import { shortDuration } from '../format';
import { timeElement } from '../time-element';
import { perMinute } from '../per-minute';
import { dataTable } from '../table';
import { loading, problemElement, type View, type ViewContext } from '../view';
import { minuteChart } from './minute-chart';

/** The chart window, in minutes. */
const CHART_MINUTES = 30;
/** The most events read for the charts (the API's limit). */
const CHART_EVENTS = 1_000;

const skew = (ms: number) => `${ms >= 0 ? '+' : '−'}${shortDuration(Math.abs(ms))}`;

/**
 * `#/cluster`: the coordinators (the leader marked), the live workers with their heartbeat age
 * and runs in flight, the depth of each queue, and fires and failures per minute over the last
 * 30 minutes, counted from the newest events.
 */
export class ClusterView implements View {
  readonly title = 'Cluster';
  readonly element: HTMLElement;
  private readonly content = h('div', {});
  private readonly problem = problemElement();

  constructor(private readonly context: ViewContext) {
    this.element = h('section', { class: 'view' }, h('h1', {}, 'Cluster'), this.problem, this.content);
  }

  async refresh(): Promise<void> {
    await loading(this.problem, async () => {
      const [status, events] = await Promise.all([this.context.client.status(), this.context.client.recentEvents(['run.enqueued', 'run.failed'], CHART_EVENTS)]);
      this.render(status, events, Date.now());
    });
  }

  dispose(): void {}

  private render(status: ClusterStatus, events: readonly SundialEvent[], nowMs: number): void {
    const coordinators = status.coordinators.map((coordinator) => [
      coordinator.id,
      coordinator.leader ? h('span', { class: 'badge leader' }, 'leader') : 'standby',
      coordinator.host,
      coordinator.epoch === null ? '—' : String(coordinator.epoch),
      skew(coordinator.clockSkewMs),
    ]);
    const workers = status.workers.map((worker) => [
      worker.id,
      worker.host,
      worker.beatAt === undefined ? '—' : shortDuration(Math.max(0, nowMs - worker.beatAt)),
      `${worker.inFlight} of ${worker.concurrency}`,
      worker.queues.join(', '),
      worker.tasks.join(', '),
    ]);
    const queues = status.queues.map((queue) => [queue.name, String(queue.waiting), String(queue.active), String(queue.delayed), String(queue.failed)]);
    const fires = perMinute(events.filter((event) => event.type === 'run.enqueued' && event.reason !== 'buffered'), nowMs, CHART_MINUTES);
    const failures = perMinute(events.filter((event) => event.type === 'run.failed'), nowMs, CHART_MINUTES);
    const oldest = events[0];
    const partial = events.length >= CHART_EVENTS && oldest !== undefined && Date.parse(oldest.time) > nowMs - CHART_MINUTES * 60_000;
    replaceChildren(
      this.content,
      h(
        'p',
        { class: 'summary' },
        `Namespace ${status.namespace} · epoch ${status.epoch} · ${status.schedules} schedules (${status.activeSchedules} active) · ${status.outbox} runs waiting to be handed to their queue`,
      ),
      h(
        'div',
        { class: 'charts' },
        h('figure', {}, minuteChart('Fires per minute', fires, 'fires'), h('figcaption', {}, `Fires per minute, last ${CHART_MINUTES} minutes (${fires.reduce((sum, { count }) => sum + count, 0)})`)),
        h('figure', {}, minuteChart('Failures per minute', failures, 'failures'), h('figcaption', {}, `Failures per minute, last ${CHART_MINUTES} minutes (${failures.reduce((sum, { count }) => sum + count, 0)})`)),
      ),
      partial && oldest && h('p', { class: 'note' }, 'Counted from the newest ', String(CHART_EVENTS), ' events: minutes before ', timeElement(oldest.time), ' are incomplete.'),
      dataTable('Coordinators', ['ID', 'Leader', 'Host', 'Epoch', 'Clock skew'], coordinators, 'No coordinator is running.'),
      dataTable('Workers', ['ID', 'Host', 'Heartbeat age', 'In flight', 'Queues', 'Tasks'], workers, 'No live worker.'),
      dataTable('Queues', ['Queue', 'Waiting', 'Active', 'Delayed', 'Failed'], queues, 'No queue used yet.'),
    );
  }
}
