import { startCoordinator, type Coordinator } from '@sundial/coordinator';
import { PROMTOOL_TOLERATED_METRICS, SundialClient, connectRedis } from '@sundial/shared';
import { startWorker, type SundialWorker } from '@sundial/worker';
import type { Redis } from 'ioredis';
import pino from 'pino';
import { waitFor } from '../helpers/worker-fixture';
import { deleteNamespace, testRedisUrl, uniqueNamespace } from '../support/namespace';
import { promtoolCheckMetrics, requirePrometheusBinary, startPrometheus, type PrometheusServer } from '../support/prometheus';

// A real coordinator and worker, checked by Prometheus' own tools: `promtool check metrics` on
// their /metrics, and a Prometheus server that scrapes both and answers a query.

jest.setTimeout(90_000);

let admin: Redis;
let client: SundialClient;
let namespace: string;
let coordinator: Coordinator;
let worker: SundialWorker;
let prometheus: PrometheusServer | undefined;

async function metricsOf(port: number): Promise<string> {
  return (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
}

beforeAll(async () => {
  // Missing binaries fail the run with the install hint rather than skipping the checks.
  requirePrometheusBinary('promtool');
  requirePrometheusBinary('prometheus');
  namespace = uniqueNamespace('prometheus');
  admin = await connectRedis(testRedisUrl(), { connectionName: 'sundial:test-admin' });
  const silent = pino({ level: 'silent' });
  coordinator = await startCoordinator({ connection: testRedisUrl(), namespace, port: 0, maxSleepMs: 200 }, silent);
  worker = await startWorker({ connection: testRedisUrl(), namespace, port: 0, logger: silent, tasks: [{ name: 'scraped', handler: () => 'done' }] });
  client = new SundialClient({ connection: admin, namespace });
  await client.add({ id: 'every-second', task: 'scraped', trigger: { every: '1s' } });
  // Samples in every kind of series: counters, histograms and gauges have moved.
  await waitFor(
    'a run to succeed',
    async () => ((await metricsOf(worker.httpPort as number)).match(/^sundial_runs_total\{task="scraped",outcome="succeeded"\} [1-9]/m) ? true : undefined),
    30_000,
  );
});

afterAll(async () => {
  await prometheus?.stop();
  await worker?.close();
  await coordinator?.stop();
  await client?.close();
  if (admin) {
    await deleteNamespace(admin, namespace);
    await admin.quit();
  }
});

describe('Prometheus validation (real promtool and prometheus)', () => {
  it.each([
    ['worker', () => worker.httpPort as number],
    ['coordinator', () => coordinator.httpPort as number],
  ])('`promtool check metrics` finds nothing wrong on the %s endpoint but the tolerated default gauges', async (_name, port) => {
    const text = await metricsOf(port());
    expect(text).toContain('sundial_');
    const verdict = promtoolCheckMetrics(text);
    const complained = verdict.problems.map((line) => line.split(' ')[0]);
    expect(complained.filter((metric) => !(PROMTOOL_TOLERATED_METRICS as readonly (string | undefined)[]).includes(metric))).toEqual([]);
    expect(verdict.exitCode === 0 || complained.length > 0).toBe(true);
  });

  it('a Prometheus server scrapes the coordinator and the worker and answers a query on sundial_runs_total', async () => {
    prometheus = await startPrometheus({
      'sundial-coordinator': `127.0.0.1:${coordinator.httpPort as number}`,
      'sundial-worker': `127.0.0.1:${worker.httpPort as number}`,
    });
    const server = prometheus;
    const succeeded = await waitFor(
      'Prometheus to answer sundial_runs_total',
      async () => {
        const result = await server.query('sundial_runs_total').catch(() => []);
        return result.find((sample) => sample.metric.outcome === 'succeeded' && sample.metric.task === 'scraped');
      },
      60_000,
    );
    expect(succeeded.metric).toMatchObject({ __name__: 'sundial_runs_total', job: 'sundial-worker' });
    expect(Number(succeeded.value[1])).toBeGreaterThan(0);
    // Both targets are scraped: the coordinator's own series reach the server too.
    await waitFor('the coordinator to be scraped', async () => ((await server.query('sundial_leader{job="sundial-coordinator"}').catch(() => [])).length > 0 ? true : undefined), 60_000);
    const up = await server.query('up');
    expect(up.map((sample) => [sample.metric.job, sample.value[1]]).sort()).toEqual([
      ['sundial-coordinator', '1'],
      ['sundial-worker', '1'],
    ]);
  });
});
