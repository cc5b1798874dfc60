import type { ApiClient } from '../api-client';
import type { SundialEvent } from '../api-types';
import { h, replaceChildren } from '../dom';
import { timeElement } from '../time-element';
import { sameData } from '../view';
import { dataTable } from '../table';

/** How many recent events are searched for a run's. */
const RECENT_EVENTS = 1_000;

/**
 * A run's log: its events from the namespace's event stream (enqueued, started, retrying,
 * failed, ... with worker and error), among the newest events the capped stream holds.
 */
export class EventList {
  readonly element: HTMLElement;
  private readonly table = h('div', {});
  private events: SundialEvent[] | undefined;

  constructor(
    private readonly client: ApiClient,
    private readonly runId: string,
  ) {
    this.element = h('section', { class: 'logs', id: 'logs', tabindex: '-1', 'aria-labelledby': 'logs-heading' }, h('h2', { id: 'logs-heading' }, 'Logs'), this.table);
  }

  async refresh(): Promise<void> {
    const events = (await this.client.recentEvents([], RECENT_EVENTS)).filter((event) => event.runId === this.runId);
    if (sameData(events, this.events)) return;
    this.events = events;
    const rows = events.map((event) => [timeElement(event.time), event.type, event.status ?? '', event.worker ?? '', event.attempt === undefined ? '' : String(event.attempt), event.error ?? '']);
    replaceChildren(this.table, dataTable('Events of this run', ['Time', 'Event', 'Status', 'Worker', 'Attempt', 'Error'], rows, 'No events of this run among the newest events the stream holds.'));
  }
}
