import { h } from './dom';
import { localText, utcText } from './format';

/** A `<time>` in the browser's zone with the UTC instant as its title; "—" for none. */
export function timeElement(iso: string | null | undefined): Node {
  if (iso === null || iso === undefined) return document.createTextNode('—');
  return h('time', { datetime: iso, title: utcText(iso) }, localText(iso));
}
