import { h, type Child } from './dom';

/** A table with a caption (its accessible name), column headers and rows of cells; `empty` is said below it when there are no rows. */
export function dataTable(caption: string, columns: readonly string[], rows: readonly (readonly Child[])[], empty = 'None.'): HTMLElement {
  const body = rows.map((cells) => h('tr', {}, cells.map((cell) => h('td', {}, cell))));
  return h(
    'div',
    { class: 'table-wrap' },
    h('table', {}, h('caption', {}, caption), h('thead', {}, h('tr', {}, columns.map((column) => h('th', { scope: 'col' }, column)))), h('tbody', {}, body)),
    rows.length === 0 && h('p', { class: 'empty' }, empty),
  );
}

/** A status as a badge: "succeeded", "failed", ... */
export function statusBadge(status: string): HTMLElement {
  return h('span', { class: `badge status-${status}` }, status);
}
