import { h, type Child } from '../dom';

/** A `<dl>` of name and value pairs; pairs whose value is undefined are left out. */
export function definitionList(entries: readonly (readonly [string, Child | undefined])[]): HTMLElement {
  return h(
    'dl',
    { class: 'fields' },
    entries.filter(([, value]) => value !== undefined).map(([name, value]) => h('div', {}, h('dt', {}, name), h('dd', {}, value))),
  );
}

/** JSON for people: indented, in a `<pre>`. */
export function jsonBlock(value: unknown): HTMLElement {
  return h('pre', { class: 'json' }, value === undefined ? 'null' : JSON.stringify(value, null, 2));
}
