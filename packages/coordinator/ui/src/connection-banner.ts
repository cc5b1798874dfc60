import { h } from './dom';

/** How often the page tries the API again while it is unreachable. */
export const RETRY_MS = 3_000;

/**
 * The banner that says the API is unreachable (role status, so screen readers announce it).
 * Hidden while calls succeed.
 */
export class ConnectionBanner {
  readonly element: HTMLElement;

  constructor() {
    this.element = h('div', { class: 'banner', role: 'status' }, `API unreachable: showing the last data; retrying every ${RETRY_MS / 1_000} s.`);
    this.element.hidden = true;
  }

  /** Whether the banner shows. */
  get shown(): boolean {
    return !this.element.hidden;
  }

  /** Shows or hides it. */
  set(reachable: boolean): void {
    this.element.hidden = reachable;
  }
}
