import {
  checkNamespaceGroupOptions,
  closeRedis,
  combinedMetrics,
  createRedisConnection,
  followNamespaces,
  isRedisConnection,
  resolveRedisTarget,
  startHealthServer,
  createProcessLogger,
  type HealthServer,
  type NamespaceFollower,
  type NamespaceGroupOptions,
} from '@sundial/shared';
import { startWorker, type SundialWorker } from './start-worker';
import type { WorkerOptions } from './worker-options';

/** Options of {@link startWorkerGroup}: those of a worker, for several namespaces. */
export interface WorkerGroupOptions extends Omit<WorkerOptions, 'namespace'>, NamespaceGroupOptions {}

/** Workers of several namespaces in one process, with one HTTP server whose metrics carry a `sundial_namespace` label. */
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
  const { namespaces: wanted, namespaceScanEveryMs, port, ...workerOptions } = options;
  checkNamespaceGroupOptions(options);
  const logger = workerOptions.logger ?? createProcessLogger({ name: 'sundial-worker' });
  const connection = workerOptions.connection ?? resolveRedisTarget();
  const ownsConnection = !isRedisConnection(connection);
  const redis = isRedisConnection(connection) ? connection : createRedisConnection(connection, { connectionName: 'sundial:worker' });
  if (ownsConnection) redis.on('error', (error: Error) => logger.warn({ err: error }, 'Redis connection error'));

  const workers = new Map<string, SundialWorker>();
  let follower: NamespaceFollower | undefined;
  const startNamespace = async (namespace: string): Promise<void> => {
    workers.set(namespace, await startWorker({ ...workerOptions, logger, namespace, connection: redis, port: undefined }, { namespaceMetrics: port !== undefined }));
    if (follower) logger.info({ namespace }, 'serving a namespace found in Redis');
  };
  const closeWorkers = () => Promise.all([...workers.values()].map((worker) => worker.close()));

  let server: HealthServer | undefined;
  try {
    follower = await followNamespaces(redis, { namespaces: wanted, namespaceScanEveryMs }, startNamespace, (error) => logger.warn({ err: error }, 'could not look for namespaces'));
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
    follower?.stop();
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
        follower?.stop();
        await closeWorkers();
        await server?.close();
        if (ownsConnection) await closeRedis(redis);
        logger.info('worker group stopped');
      })()),
  };
}
