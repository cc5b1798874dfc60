import { h, uniqueId } from '../dom';

/** A labelled control in a filter bar. */
export function labelled(label: string, control: HTMLInputElement | HTMLSelectElement): HTMLElement {
  control.id ||= uniqueId('filter');
  return h('div', { class: 'field' }, h('label', { for: control.id }, label), control);
}

/** A select offering "All" and `values`; keeps the chosen value when the values change. */
export class FilterSelect {
  readonly element: HTMLSelectElement;
  private values: readonly string[] = [];

  constructor(onChange: () => void, values: readonly string[] = []) {
    this.element = h('select', { onchange: onChange });
    this.setValues(values);
  }

  /** The chosen value, or undefined for all. */
  get value(): string | undefined {
    return this.element.value === '' ? undefined : this.element.value;
  }

  /** Offers these values (and the chosen one, even when it is gone). */
  setValues(values: readonly string[]): void {
    const chosen = this.element.value;
    const next = [...new Set([...values, ...(chosen === '' ? [] : [chosen])])].sort();
    if (next.join('\n') === this.values.join('\n')) return;
    this.values = next;
    this.element.replaceChildren(h('option', { value: '' }, 'All'), ...next.map((value) => h('option', { value }, value)));
    this.element.value = chosen;
  }
}
