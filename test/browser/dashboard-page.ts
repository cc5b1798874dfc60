import type { Locator, Page } from 'playwright-core';

/** A whole-text match, ignoring surrounding white space. */
export function exactly(text: string): RegExp {
  return new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
}

/** The table with this caption. */
export function tableNamed(page: Page, caption: string): Locator {
  return page.getByRole('table', { name: caption, exact: true });
}

/** The rows of `table` that contain a link named `name` (the schedule rows link their id). */
export function rowLinking(table: Locator, name: string): Locator {
  return table.getByRole('row').filter({ has: table.page().getByRole('link', { name, exact: true }) });
}

/** The rows of `table` whose text contains `text`. */
export function rowWith(table: Locator, text: string): Locator {
  return table.getByRole('row').filter({ hasText: text });
}

/**
 * The cell of `row` under the column header named `column` of `table`.
 *
 * @throws when the table has no such column, listing the ones it has
 */
export async function cellOf(table: Locator, row: Locator, column: string): Promise<Locator> {
  const headers = (await table.getByRole('columnheader').allTextContents()).map((header) => header.trim());
  const index = headers.indexOf(column);
  if (index < 0) throw new Error(`the table has no column "${column}"; its columns: ${headers.join(', ')}`);
  return row.locator('td, th').nth(index);
}

/** Waits until `locator`'s text matches `pattern`; fails after the page's default timeout. */
export async function untilText(locator: Locator, pattern: RegExp): Promise<string> {
  await locator.filter({ hasText: pattern }).waitFor();
  return (await locator.textContent()) ?? '';
}

/**
 * Checks that `url` answers the dashboard's HTML page.
 *
 * @throws with the server's answer otherwise (a coordinator whose package was not built answers 404)
 */
export async function expectDashboardServed(url: string): Promise<void> {
  const response = await fetch(url);
  const type = response.headers.get('content-type') ?? '';
  if (!response.ok || !type.startsWith('text/html')) {
    throw new Error(`GET ${url} answered ${response.status} ${type}, not the dashboard page (build it with "pnpm build"): ${await response.text()}`);
  }
}
