import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { NotFoundError, type Run, type SundialClient } from '@sundial/shared';
import { startDashboardCluster } from '../test/helpers/dashboard-cluster';
import { launchChromium } from '../test/support/chromium';
import { startRedisServer } from '../test/support/redis-server';

// Saves the README's picture of the dashboard: a throw-away redis-server, a coordinator, a worker
// and a few schedules with runs, photographed at 1280×800 in headless Chromium.
// Usage: pnpm screenshot [output.png]   (default docs/img/dashboard.png)

const DAY_MS = 86_400_000;
const SETTLE_TIMEOUT_MS = 30_000;
const FINAL: readonly Run['status'][] = ['succeeded', 'failed', 'missed', 'skipped', 'cancelled'];

/** Schedules such as a small team runs. */
async function addSchedules(client: SundialClient): Promise<void> {
  await client.add({ id: 'nightly-report', task: 'report', trigger: { cron: '0 2 * * *', timezone: 'Europe/Berlin' }, labels: { team: 'analytics' } });
  await client.add({ id: 'invoice-sync', task: 'sync-invoices', trigger: { every: '15m' }, labels: { team: 'billing' } });
  await client.add({ id: 'weekday-digest', task: 'report', trigger: { cron: '0 9 * * 1-5', timezone: 'America/New_York' }, labels: { team: 'growth' } });
  await client.add({ id: 'cache-warmup', task: 'report', trigger: { every: '5m' }, labels: { team: 'platform' } });
  await client.add({ id: 'session-cleanup', task: 'report', trigger: { every: '1h' }, labels: { team: 'platform' } });
  await client.add({ id: 'sitemap-rebuild', task: 'report', trigger: { cron: '15 3 * * 0', timezone: 'Europe/Paris' }, labels: { team: 'web' } });
  await client.add({ id: 'quarterly-close', task: 'report', trigger: { cron: '0 6 1 */3 *', timezone: 'Europe/London' }, labels: { team: 'finance' }, paused: true });
}

/** Runs some of them now (and backfills last night's report), and waits for the runs to end. */
async function runSome(client: SundialClient): Promise<void> {
  const now = Date.now();
  const runIds = [
    ...(await client.backfill('nightly-report', { from: now - DAY_MS, to: now })).runIds,
    ...(await Promise.all(['invoice-sync', 'weekday-digest', 'cache-warmup', 'sitemap-rebuild'].map(async (id) => (await client.trigger(id)).runId))),
  ];
  const deadline = Date.now() + SETTLE_TIMEOUT_MS;
  for (const runId of runIds) {
    // The leader enqueues backfilled runs a moment later: until then they have no record.
    const status = async () => (await client.getRun(runId).catch((error: unknown) => (error instanceof NotFoundError ? undefined : Promise.reject(error))))?.status;
    while (!FINAL.includes((await status()) ?? 'enqueued')) {
      if (Date.now() > deadline) throw new Error(`run ${runId} did not end within ${SETTLE_TIMEOUT_MS} ms`);
      await sleep(50);
    }
  }
}

async function main(): Promise<void> {
  const output = resolve(process.argv[2] ?? 'docs/img/dashboard.png');
  const redis = await startRedisServer();
  try {
    const cluster = await startDashboardCluster({ redisUrl: redis.url, namespace: 'production' });
    try {
      await addSchedules(cluster.client);
      await runSome(cluster.client);
      const browser = await launchChromium();
      try {
        const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, timezoneId: 'Europe/Berlin', locale: 'en-GB' });
        await page.goto(`${cluster.url}#/schedules`);
        const table = page.getByRole('table', { name: 'Schedules', exact: true });
        await table.getByRole('link', { name: 'quarterly-close', exact: true }).waitFor();
        await table.getByRole('row').filter({ hasText: 'nightly-report' }).getByText('succeeded').waitFor();
        mkdirSync(dirname(output), { recursive: true });
        await page.screenshot({ path: output });
        console.log(`saved ${output}`);
      } finally {
        await browser.close();
      }
    } finally {
      await cluster.close();
    }
  } finally {
    await redis.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
