import type { ApiClient } from './api-client';
import { ApiError, UnreachableError } from './api-client';
import { h } from './dom';

/** One page of the dashboard. */
export interface View {
  /** The page title: what its heading says. */
  readonly title: string;
  /** What it shows; mounted in the page's main area. */
  readonly element: HTMLElement;
  /** Reads the API again and updates what it shows; keeps the last data when the API fails. */
  refresh(): Promise<void>;
  /** Stops its timers and streams. */
  dispose(): void;
}

/** What a view works with. */
export interface ViewContext {
  readonly client: ApiClient;
}

/**
 * Runs a view's loading; failures that the page reports elsewhere (unreachable, sign-in) are
 * swallowed, others are shown in `problem` (role alert).
 */
export async function loading(problem: HTMLElement, work: () => Promise<void>): Promise<void> {
  try {
    await work();
    problem.hidden = true;
    problem.textContent = '';
  } catch (error) {
    if (error instanceof UnreachableError) return;
    if (error instanceof ApiError && (error.status === 401 || error.status === 403)) return;
    problem.hidden = false;
    problem.textContent = error instanceof Error ? error.message : String(error);
  }
}

/** An alert element for a view's loading problems, hidden until there is one. */
export function problemElement(): HTMLElement {
  const element = h('p', { class: 'problem', role: 'alert' });
  element.hidden = true;
  return element;
}

/** Whether two answers are equal (so an unchanged answer is not rendered again). */
export function sameData(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
