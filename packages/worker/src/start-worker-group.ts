import {
  ValidationError,
  closeRedis,
  combinedMetrics,
  createRedisConnection,
  discoverNamespaces,
  isRedisConnection,
  resolveRedisTarget,
  startHealthServer,
  createProcessLogger,
  type HealthServer,
} from '@sundial/shared';
import { startWorker, type SundialWorker } from './start-worker';
import type { WorkerOptions } from './worker-options';

/** How often a group serving every namespace looks for new ones. */
export const WORKER_NAMESPACE_SCAN_EVERY_MS = 30_000;

/** Options of {@link startWorkerGroup}: those of a worker, for several namespaces. */
export interface WorkerGroupOptions extends Omit<WorkerOptions, 'namespace'> {
  /** The namespaces to serve, or `'all'`: every namespace that holds schedules, looked for again every `namespaceScanEveryMs`. */
  namespaces: readonly string[] | 'all';
  /** With `namespaces: 'all'`, how often to look for new namespaces. @defaultValue 30,000 ms */
  namespaceScanEveryMs?: number;
}

/** Workers of several namespaces in one process, with one HTTP server whose metrics carry a `namespace` label. */
export interface WorkerGroup {
  /** The port serving `/metrics`, `/healthz` and `/readyz`; undefined without `port`. */
  readonly httpPort: number | undefined;
  /** The namespaces served now, sorted. */
  namespaces(): string[];
  /** The worker of one namespace. */
  worker(namespace: string): SundialWorker | undefined;
  /** Closes every worker (each drains as `SundialWorker.close` does) and the connection. */
  close(): Promise<void>;
}

/**
 * Starts one worker per namespace in this process, sharing one Redis connection for commands
 * (each still has its own blocking BullMQ connections). `concurrency` applies to each
 * namespace's worker.
 *
 * @throws ValidationError for an empty namespace list or a bad option
 */
export async function startWorkerGroup(options: WorkerGroupOptions): Promise<WorkerGroup> {
  const { namespaces: wanted, namespaceScanEveryMs = WORKER_NAMESPACE_SCAN_EVERY_MS, port, ...workerOptions } = options;
  if (wanted !== 'all' && wanted.length === 0) throw new ValidationError('namespaces', 'expected at least one namespace, or "all"');
  if (!Number.isInteger(namespaceScanEveryMs) || namespaceScanEveryMs < 1) {
    throw new ValidationError('namespaceScanEveryMs', `expected a whole number of at least 1, got ${String(namespaceScanEveryMs)}`);
  }
  const logger = workerOptions.logger ?? createProcessLogger({ name: 'sundial-worker' });
  const connection = workerOptions.connection ?? resolveRedisTarget();
  const ownsConnection = !isRedisConnection(connection);
  const redis = isRedisConnection(connection) ? connection : createRedisConnection(connection, { connectionName: 'sundial:worker' });
  if (ownsConnection) redis.on('error', (error: Error) => logger.warn({ err: error }, 'Redis connection error'));

  const workers = new Map<string, SundialWorker>();
  const startNamespace = async (namespace: string): Promise<void> => {
    if (workers.has(namespace)) return;
    workers.set(namespace, await startWorker({ ...workerOptions, logger, namespace, connection: redis, port: undefined }, { namespaceMetrics: port !== undefined }));
  };
  const discover = async (): Promise<void> => {
    for (const namespace of await discoverNamespaces(redis)) {
      if (workers.has(namespace)) continue;
      await startNamespace(namespace);
      logger.info({ namespace }, 'serving a namespace found in Redis');
    }
  };
  const closeWorkers = () => Promise.all([...workers.values()].map((worker) => worker.close()));

  let timer: NodeJS.Timeout | undefined;
  let server: HealthServer | undefined;
  try {
    for (const namespace of wanted === 'all' ? await discoverNamespaces(redis) : wanted) await startNamespace(namespace);
    if (wanted === 'all') timer = setInterval(() => void discover().catch((error: unknown) => logger.warn({ err: error }, 'could not look for namespaces')), namespaceScanEveryMs);
    if (port !== undefined) {
      server = await startHealthServer({
        port,
        registry: combinedMetrics(() => [...workers.values()].flatMap((worker) => (worker.metricsRegistry ? [worker.metricsRegistry] : []))),
        ready: () => [...workers.values()].every((worker) => worker.ready()),
        alive: () => [...workers.values()].every((worker) => worker.alive()),
        logger,
      });
    }
  } catch (error) {
    clearInterval(timer);
    await closeWorkers();
    if (ownsConnection) await closeRedis(redis);
    throw error;
  }
  logger.info({ namespaces: [...workers.keys()].sort(), httpPort: server?.port }, 'worker group started');

  let closing: Promise<void> | undefined;
  return {
    httpPort: server?.port,
    namespaces: () => [...workers.keys()].sort(),
    worker: (namespace) => workers.get(namespace),
    close: () =>
      (closing ??= (async () => {
        clearInterval(timer);
        await closeWorkers();
        await server?.close();
        if (ownsConnection) await closeRedis(redis);
        logger.info('worker group stopped');
      })()),
  };
}
