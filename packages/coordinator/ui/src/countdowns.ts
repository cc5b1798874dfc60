import { countdown } from './format';

/** The attribute of elements showing a live countdown to the ISO instant it holds. */
export const COUNTDOWN_ATTRIBUTE = 'data-countdown';

/** Updates every countdown in the page now. */
export function updateCountdowns(root: ParentNode = document): void {
  const now = Date.now();
  for (const element of root.querySelectorAll<HTMLElement>(`[${COUNTDOWN_ATTRIBUTE}]`)) {
    const target = element.getAttribute(COUNTDOWN_ATTRIBUTE);
    if (target) element.textContent = countdown(target, now);
  }
}

/** Updates the page's countdowns every second. */
export function startCountdowns(): void {
  setInterval(() => updateCountdowns(), 1_000);
}
