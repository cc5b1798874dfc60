import type { ApiClient } from '../api-client';
import type { Schedule } from '../api-types';
import { confirmAction } from '../confirm-dialog';
import { h, uniqueId } from '../dom';

/** The fields of a schedule an edit may change: its definition without id and state. */
export function definitionOf(schedule: Schedule): Record<string, unknown> {
  return withoutFields(schedule, ['id', 'state']);
}

function withoutFields(value: object, fields: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([name]) => !fields.includes(name)));
}

/** A `datetime-local` value (the browser's zone) as an ISO instant; empty stays empty so the server names the field. */
function instantOf(local: string): string {
  const date = new Date(local);
  return local === '' || Number.isNaN(date.getTime()) ? local : date.toISOString();
}

function field(label: string, control: HTMLInputElement | HTMLTextAreaElement): HTMLElement {
  control.id = uniqueId('action-field');
  return h('div', { class: 'field' }, h('label', { for: control.id }, label), control);
}

/**
 * The action buttons of a schedule's page: Pause or Resume, Trigger now, Backfill, Edit, Delete,
 * each confirmed in a dialog. `changed` runs after a successful action (the page reloads the
 * schedule); `removed` after a delete.
 */
export function scheduleActions(client: ApiClient, schedule: Schedule, changed: () => void, removed: () => void): HTMLElement {
  const id = schedule.id;
  const button = (label: string, onclick: () => void, className?: string) => h('button', { type: 'button', onclick, class: className }, label);
  const pauseOrResume = schedule.state.paused
    ? button('Resume', () =>
        confirmAction({ title: `Resume schedule ${id}`, content: [h('p', {}, 'It fires again from now on; fire times missed while paused are not run.')], action: async () => void (await client.resume(id)), done: changed }),
      )
    : button('Pause', () => confirmAction({ title: `Pause schedule ${id}`, content: [h('p', {}, 'It fires no more until resumed. Runs already enqueued still run.')], action: async () => void (await client.pause(id)), done: changed }));

  const triggerNow = button('Trigger now', () =>
    confirmAction({ title: `Trigger now: schedule ${id}`, content: [h('p', {}, `Runs task ${schedule.task} once now, even while paused.`)], action: async () => void (await client.trigger(id)), done: changed }),
  );

  const backfill = button('Backfill', () => {
    const from = h('input', { type: 'datetime-local', step: 1, required: true });
    const to = h('input', { type: 'datetime-local', step: 1, required: true });
    confirmAction({
      title: `Backfill schedule ${id}`,
      content: [h('p', {}, 'Runs every fire time of the range (both ends included, in your time zone) now; a fire time already backfilled is not run again.'), field('From', from), field('To', to)],
      action: async () => void (await client.backfill(id, instantOf(from.value), instantOf(to.value))),
      done: changed,
    });
  });

  const edit = button('Edit', () => {
    const text = h('textarea', { rows: 18, cols: 60, spellcheck: 'false', class: 'code' });
    text.value = JSON.stringify(definitionOf(schedule), null, 2);
    confirmAction({
      title: `Edit schedule ${id}`,
      content: [h('p', {}, 'The fields given replace the current ones; a changed trigger takes effect from now. Pause and resume with their buttons.'), field('Definition (JSON)', text)],
      action: async () => {
        const changes = JSON.parse(text.value) as unknown;
        // The id and the state are shown for reference; the API changes neither here.
        await client.update(id, changes !== null && typeof changes === 'object' && !Array.isArray(changes) ? withoutFields(changes, ['id', 'state']) : changes);
      },
      done: changed,
    });
  });

  const remove = button(
    'Delete',
    () => confirmAction({ title: `Delete schedule ${id}`, content: [h('p', {}, 'Removes the schedule, its state and its run history. Runs already enqueued finish.')], action: () => client.remove(id), done: removed }),
    'danger',
  );

  return h('div', { class: 'actions', role: 'group', 'aria-label': 'Actions' }, pauseOrResume, triggerNow, backfill, edit, remove);
}
