import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startDashboardCluster, type DashboardCluster } from '../helpers/dashboard-cluster';
import { waitFor } from '../helpers/worker-fixture';
import { launchChromium } from '../support/chromium';
import { testRedisUrl } from '../support/namespace';
import { cellOf, exactly, expectDashboardServed, rowLinking, rowWith, tableNamed, untilText } from './dashboard-page';

// The operator dashboard in a real headless Chromium, served by a real coordinator on the test
// Redis, with a real worker running the runs it shows.

jest.setTimeout(30_000);

/** The zone the browser runs in: not UTC, so local and UTC times differ. */
const BROWSER_ZONE = 'Europe/Berlin';
/** The page refreshes its data, and retries while the API is unreachable, at least this often. */
const REFRESH_WITHIN_MS = 10_000;
const ADMIN_TOKEN = 'dashboard-admin-5c4b3a29180716f5e4d3c2b1a0f9e8d7';

let browser: Browser;
const contexts: BrowserContext[] = [];

/** A fresh page (own session storage) at 1280×800 in {@link BROWSER_ZONE}. */
async function openPage(url: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, timezoneId: BROWSER_ZONE, locale: 'en-GB' });
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  await page.goto(url);
  return page;
}

/** `HH:MM` of an instant in a time zone. */
function hourMinute(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso));
}

/** The error message the API answers a request with. */
async function apiError(cluster: DashboardCluster, method: string, path: string, body: unknown): Promise<string> {
  const response = await fetch(new URL(path, cluster.url), { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const answer = (await response.json()) as { error?: { message?: string } };
  if (response.ok || !answer.error?.message) throw new Error(`expected ${method} ${path} to be refused, got ${response.status}`);
  return answer.error.message;
}

beforeAll(async () => {
  browser = await launchChromium();
});

afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close()));
});

afterAll(async () => {
  await browser?.close();
});

describe('dashboard without tokens (loopback)', () => {
  let cluster: DashboardCluster;

  beforeAll(async () => {
    cluster = await startDashboardCluster({ redisUrl: testRedisUrl() });
    await expectDashboardServed(cluster.url);
    // Anchored ten minutes ahead, so it cannot fire (and its countdown cannot run out) during the test.
    const start = new Date(Date.now() + 10 * 60_000).toISOString();
    await cluster.client.add({ id: 'invoice-sync', task: 'report', trigger: { every: '15m', start }, labels: { team: 'billing' } });
    await cluster.client.add({ id: 'pause-me', task: 'report', trigger: { cron: '0 9 * * 1-5', timezone: 'America/New_York' } });
    await cluster.client.add({ id: 'edit-me', task: 'report', trigger: { cron: '30 6 * * *', timezone: 'UTC' } });
    await cluster.client.add({ id: 'live-report', task: 'report', trigger: { every: '1h' }, overlap: 'allow', maxInstances: 10 });
  });

  afterAll(async () => {
    await cluster?.close();
  });

  it('lists a schedule with its trigger in words, its next fire time and a live countdown', async () => {
    const page = await openPage(cluster.url);
    await page.getByRole('heading', { level: 1, name: 'Schedules', exact: true }).waitFor();
    const table = tableNamed(page, 'Schedules');
    const row = rowLinking(table, 'invoice-sync');
    await row.waitFor();
    expect(await (await cellOf(table, row, 'Task')).textContent()).toContain('report');
    expect(await (await cellOf(table, row, 'Trigger')).textContent()).toContain('every 15 minutes');
    expect(await (await cellOf(table, row, 'State')).textContent()).toMatch(exactly('active'));

    const nextFireTime = (await cluster.client.get('invoice-sync')).state.nextFireTime as string;
    const time = (await cellOf(table, row, 'Next fire')).locator('time');
    expect(Date.parse((await time.getAttribute('datetime')) ?? '')).toBe(Date.parse(nextFireTime));
    expect(await time.textContent()).toContain(hourMinute(nextFireTime, BROWSER_ZONE));
    expect(await time.getAttribute('title')).toContain(hourMinute(nextFireTime, 'UTC'));

    const countdown = await cellOf(table, row, 'Countdown');
    const first = await untilText(countdown, /^\s*in (\d+ min )?\d+ s\s*$/);
    await countdown.filter({ hasNotText: first.trim() }).waitFor();
    expect(await countdown.textContent()).toMatch(/^\s*in (\d+ min )?\d+ s\s*$/);

    await page.getByLabel('Search', { exact: true }).fill('pause-me');
    await rowLinking(table, 'invoice-sync').waitFor({ state: 'detached' });
    const found = rowLinking(table, 'pause-me');
    await found.waitFor();
    expect(await (await cellOf(table, found, 'Trigger')).textContent()).toContain('at 09:00 on Monday through Friday');
    expect(await (await cellOf(table, found, 'Time zone')).textContent()).toContain('America/New_York');
  });

  it('pauses a schedule from its page after confirmation', async () => {
    const page = await openPage(`${cluster.url}#/schedules/pause-me`);
    await page.getByRole('heading', { level: 1, name: 'pause-me', exact: true }).waitFor();
    const fireTimes = tableNamed(page, 'Next fire times').getByRole('row');
    await fireTimes.nth(10).waitFor();
    expect(await fireTimes.count()).toBe(11);

    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Pause schedule pause-me' });
    await dialog.getByRole('button', { name: 'Cancel', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect((await cluster.client.get('pause-me')).state.paused).toBe(false);

    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    await dialog.getByRole('button', { name: 'Confirm', exact: true }).click();
    await waitFor('the schedule paused through the page', async () => ((await cluster.client.get('pause-me')).state.paused ? true : undefined));
    await page.getByRole('button', { name: 'Resume', exact: true }).waitFor();

    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Schedules', exact: true }).click();
    const table = tableNamed(page, 'Schedules');
    await untilText(await cellOf(table, rowLinking(table, 'pause-me'), 'State'), exactly('paused'));
  });

  it('shows runs as they start and finish, without a reload', async () => {
    const page = await openPage(`${cluster.url}#/schedules/live-report`);
    await page.getByRole('heading', { level: 1, name: 'live-report', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Trigger now', exact: true }).click();
    await page.getByRole('dialog', { name: /^Trigger now/ }).getByRole('button', { name: 'Confirm', exact: true }).click();
    const triggered = await waitFor('the run triggered from the page', async () => (await cluster.client.listRuns({ scheduleId: 'live-report' }))[0]);
    await rowWith(tableNamed(page, 'Recent runs'), triggered.runId).waitFor();

    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Runs', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Runs', exact: true }).waitFor();
    const table = tableNamed(page, 'Runs');
    await rowWith(table, triggered.runId).waitFor();

    const { runId } = await cluster.client.trigger('live-report');
    const row = rowWith(table, runId);
    await row.waitFor();
    await untilText(await cellOf(table, row, 'Status'), exactly('succeeded'));
    expect(await (await cellOf(table, row, 'Schedule')).textContent()).toContain('live-report');
  });

  it("shows the server's message when it refuses an action, and changes nothing", async () => {
    const page = await openPage(`${cluster.url}#/schedules/edit-me`);
    await page.getByRole('heading', { level: 1, name: 'edit-me', exact: true }).waitFor();

    await page.getByRole('button', { name: 'Backfill', exact: true }).click();
    const backfill = page.getByRole('dialog', { name: 'Backfill schedule edit-me' });
    await backfill.getByLabel('From', { exact: true }).fill('2025-03-02T10:00');
    await backfill.getByLabel('To', { exact: true }).fill('2025-03-01T10:00');
    await backfill.getByRole('button', { name: 'Confirm', exact: true }).click();
    const refusedBackfill = await apiError(cluster, 'POST', 'api/v1/schedules/edit-me/backfill', { from: '2025-03-02T09:00:00.000Z', to: '2025-03-01T09:00:00.000Z' });
    await backfill.getByRole('alert').filter({ hasText: refusedBackfill }).waitFor();
    await page.keyboard.press('Escape');
    await backfill.waitFor({ state: 'hidden' });

    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    const edit = page.getByRole('dialog', { name: 'Edit schedule edit-me' });
    const definitionField = edit.getByLabel('Definition (JSON)', { exact: true });
    const definition = JSON.parse(await definitionField.inputValue()) as Record<string, unknown>;
    expect(definition).toMatchObject({ task: 'report', trigger: { cron: '30 6 * * *' } });
    const broken: Record<string, unknown> = { ...definition, trigger: { cron: '61 6 * * *', timezone: 'UTC' } };
    await definitionField.fill(JSON.stringify(broken, null, 2));
    await edit.getByRole('button', { name: 'Confirm', exact: true }).click();
    const changes = Object.fromEntries(Object.entries(broken).filter(([field]) => field !== 'id'));
    const refusedEdit = await apiError(cluster, 'PUT', 'api/v1/schedules/edit-me', changes);
    expect(refusedEdit).toContain('trigger.cron');
    await edit.getByRole('alert').filter({ hasText: refusedEdit }).waitFor();

    expect((await cluster.client.get('edit-me')).trigger).toEqual({ cron: '30 6 * * *', timezone: 'UTC' });
    expect(await cluster.client.listRuns({ scheduleId: 'edit-me' })).toEqual([]);
  });

  it('shows the coordinators, workers and queues of the cluster', async () => {
    const page = await openPage(`${cluster.url}#/cluster`);
    await page.getByRole('heading', { level: 1, name: 'Cluster', exact: true }).waitFor();
    await rowWith(tableNamed(page, 'Coordinators'), cluster.coordinator.id).waitFor();
    await tableNamed(page, 'Workers').getByRole('row').nth(1).waitFor();
    await rowWith(tableNamed(page, 'Queues'), 'default').waitFor();
    await page.getByRole('img', { name: 'Fires per minute' }).waitFor();
    await page.getByRole('img', { name: 'Failures per minute' }).waitFor();
  });

  // Last: it replaces the coordinator.
  it('says when the API is unreachable, keeps the last data and recovers', async () => {
    // The page refreshes its data and retries on timers of a few seconds; the coordinator really
    // stops and starts, and the test waits for the page to notice each time.
    const page = await openPage(cluster.url);
    const table = tableNamed(page, 'Schedules');
    await rowLinking(table, 'invoice-sync').waitFor();
    const banner = page.getByRole('status').filter({ hasText: 'API unreachable' });

    await cluster.stopCoordinator();
    await banner.waitFor({ timeout: REFRESH_WITHIN_MS + 5_000 });
    expect(await rowLinking(table, 'invoice-sync').isVisible()).toBe(true);

    await cluster.startCoordinator();
    await banner.waitFor({ state: 'hidden', timeout: REFRESH_WITHIN_MS + 5_000 });
    expect(await rowLinking(table, 'invoice-sync').isVisible()).toBe(true);
  });
});

describe('dashboard with tokens', () => {
  let cluster: DashboardCluster;

  beforeAll(async () => {
    cluster = await startDashboardCluster({ redisUrl: testRedisUrl(), tokens: [{ scope: 'admin', token: ADMIN_TOKEN }] });
    await expectDashboardServed(cluster.url);
    await cluster.client.add({ id: 'guarded-report', task: 'report', trigger: { every: '1h' } });
  });

  afterAll(async () => {
    await cluster?.close();
  });

  it('asks for a token, returns to the prompt with the reason for a wrong one, and signs in with the right one', async () => {
    const page = await openPage(cluster.url);
    const form = page.getByRole('form', { name: 'Sign in' });
    await form.waitFor();

    await form.getByLabel('API token', { exact: true }).fill('not-the-token');
    await form.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: 'unknown token' }).waitFor();
    await form.waitFor();

    await form.getByLabel('API token', { exact: true }).fill(ADMIN_TOKEN);
    await form.getByRole('button', { name: 'Sign in', exact: true }).click();
    await rowLinking(tableNamed(page, 'Schedules'), 'guarded-report').waitFor();
    expect(await form.count()).toBe(0);

    await page.reload();
    await rowLinking(tableNamed(page, 'Schedules'), 'guarded-report').waitFor();
  });
});
