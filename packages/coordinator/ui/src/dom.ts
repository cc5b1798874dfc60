/** Small helpers to build DOM trees without HTML strings (the page's CSP allows no inline script, and text is never parsed as markup). */

/** What may be a child: a node, text, or nothing. */
export type Child = Node | string | number | null | undefined | false;

/** Attributes: strings, numbers and `true` are set, `false`, null and undefined left out; `on<event>` adds a listener. */
export type Attributes = Readonly<Record<string, string | number | boolean | null | undefined | ((event: Event) => void)>>;

function apply(element: Element, attributes: Attributes, children: readonly (Child | readonly Child[])[]): void {
  for (const [name, value] of Object.entries(attributes)) {
    if (typeof value === 'function') element.addEventListener(name.slice(2), value);
    else if (value === true) element.setAttribute(name, '');
    else if (value !== false && value !== null && value !== undefined) element.setAttribute(name, String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(typeof child === 'number' ? String(child) : child);
  }
}

/** An HTML element with attributes and children. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: (Child | readonly Child[])[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  apply(element, attributes, children);
  return element;
}

/** An SVG element with attributes and children. */
export function svg<K extends keyof SVGElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: (Child | readonly Child[])[]): SVGElementTagNameMap[K] {
  const element = document.createElementNS('http://www.w3.org/2000/svg', tag);
  apply(element, attributes, children);
  return element;
}

/** Replaces the children of `parent`. */
export function replaceChildren(parent: Element, ...children: (Child | readonly Child[])[]): void {
  parent.replaceChildren();
  apply(parent, {}, children);
}

/** An id unique in the page, to tie labels and controls together. */
let counter = 0;
export function uniqueId(prefix: string): string {
  counter += 1;
  return `${prefix}-${counter}`;
}
