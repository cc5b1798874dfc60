import { startCoordinator, type Coordinator, type CoordinatorOptions } from '@sundial/coordinator';
import { SundialClient, connectRedis } from '@sundial/shared';
import { defineTask, startWorker, UnrecoverableError, type SundialWorker } from '@sundial/worker';
import pino from 'pino';
import { setTimeout as sleep } from 'node:timers/promises';
import { deleteNamespace, uniqueNamespace } from '../support/namespace';

/** The bearer tokens a coordinator's admin API accepts. */
export type DashboardTokens = NonNullable<NonNullable<CoordinatorOptions['api']>['tokens']>;

/** Options of {@link startDashboardCluster}. */
export interface DashboardClusterOptions {
  /** The Redis the cluster uses (only keys of its own namespace). */
  redisUrl: string;
  /** The admin API's tokens. Default: none, so the API answers loopback requests only. */
  tokens?: DashboardTokens;
  /** The namespace. Default: a fresh one, deleted by `close()`. */
  namespace?: string;
}

/** A coordinator serving the dashboard, a worker running its tasks, and a client, in one namespace. */
export interface DashboardCluster {
  readonly namespace: string;
  readonly client: SundialClient;
  readonly worker: SundialWorker;
  /** The coordinator serving the page now ({@link DashboardCluster.restartCoordinator} replaces it). */
  readonly coordinator: Coordinator;
  /** `http://127.0.0.1:<port>/`: the dashboard. */
  readonly url: string;
  /** Stops the coordinator: its HTTP port stops answering until {@link DashboardCluster.startCoordinator}. */
  stopCoordinator(): Promise<void>;
  /** Starts a coordinator again on the same port. */
  startCoordinator(): Promise<void>;
  /** Stops everything and deletes the namespace's keys. */
  close(): Promise<void>;
}

/** How long the `report` task works on a run. */
const REPORT_WORK_MS = 150;

/** The tasks the dashboard's worker runs: `report` succeeds with a result, `sync-invoices` fails without a retry. */
export const DASHBOARD_TASKS = [
  defineTask({
    name: 'report',
    handler: async ({ data, signal }) => {
      await sleep(REPORT_WORK_MS, undefined, { signal });
      return { rows: 42, data };
    },
  }),
  defineTask({
    name: 'sync-invoices',
    handler: async () => {
      throw new UnrecoverableError('billing API answered 503 Service Unavailable');
    },
  }),
];

/**
 * Starts a coordinator (HTTP on a free port of 127.0.0.1, firing every 200 ms at most), a worker
 * with {@link DASHBOARD_TASKS} and a client, all in one namespace of `redisUrl`.
 */
export async function startDashboardCluster(options: DashboardClusterOptions): Promise<DashboardCluster> {
  const namespace = options.namespace ?? uniqueNamespace('dashboard');
  const silent = pino({ level: 'silent' });
  const coordinatorOptions = (port: number): CoordinatorOptions => ({
    connection: options.redisUrl,
    namespace,
    port,
    maxSleepMs: 200,
    api: { tokens: options.tokens ?? [] },
  });
  let coordinator: Coordinator | undefined = await startCoordinator(coordinatorOptions(0), silent);
  const port = coordinator.httpPort;
  if (port === undefined) throw new Error('the coordinator serves no HTTP port');
  const worker = await startWorker({ tasks: DASHBOARD_TASKS, connection: options.redisUrl, namespace, logger: silent, heartbeatEveryMs: 1_000 });
  const client = new SundialClient({ connection: options.redisUrl, namespace });
  const current = (): Coordinator => {
    if (!coordinator) throw new Error('the coordinator is stopped');
    return coordinator;
  };
  return {
    namespace,
    client,
    worker,
    get coordinator() {
      return current();
    },
    url: `http://127.0.0.1:${port}/`,
    stopCoordinator: async () => {
      await current().stop();
      coordinator = undefined;
    },
    startCoordinator: async () => {
      if (coordinator) throw new Error('the coordinator is running');
      coordinator = await startCoordinator(coordinatorOptions(port), silent);
    },
    close: async () => {
      await worker.close();
      await coordinator?.stop();
      await client.close();
      const redis = await connectRedis(options.redisUrl, { connectionName: 'sundial:test-dashboard-cleanup' });
      try {
        await deleteNamespace(redis, namespace);
      } finally {
        await redis.quit();
      }
    },
  };
}
