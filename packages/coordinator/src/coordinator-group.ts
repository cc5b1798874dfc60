import {
  SundialClient,
  checkNamespaceGroupOptions,
  closeRedis,
  combinedMetrics,
  createRedisConnection,
  followNamespaces,
  isRedisConnection,
  liveHeartbeats,
  namespaceKeys,
  type CoordinatorHeartbeat,
  type NamespaceFollower,
  type NamespaceGroupOptions,
  type ProbeSources,
} from '@sundial/shared';
import { startAdminServer, type AdminServer } from './api/admin-server';
import { startCoordinator, type Coordinator } from './coordinator';
import { resolveCoordinatorOptions, type CoordinatorOptions } from './coordinator-options';
import { LeaseBalancer } from './leader/lease-balancer';
import { createLogger, type Logger } from './logger';

/** Options of {@link startCoordinatorGroup}: those of a coordinator, for several namespaces. */
export interface CoordinatorGroupOptions extends Omit<CoordinatorOptions, 'namespace'>, NamespaceGroupOptions {}

/**
 * Several namespaces' coordinators in one process: one lease and fire loop per namespace, one
 * Redis connection for commands, and one HTTP server whose `/metrics` label every Sundial series
 * with its `sundial_namespace`.
 */
export interface CoordinatorGroup {
  /** The port serving `/metrics`, `/healthz`, `/readyz` and the admin API; undefined without `port`. */
  readonly httpPort: number | undefined;
  /** The namespace the admin API and dashboard serve: the first listed, else `SUNDIAL_NAMESPACE` (or `default`). */
  readonly apiNamespace: string;
  /** The namespaces served now, sorted. */
  namespaces(): string[];
  /** The coordinator of one namespace. */
  coordinator(namespace: string): Coordinator | undefined;
  /** The namespaces this process leads now, sorted. */
  leading(): string[];
  /** Stops every coordinator (each leader hands its lease over at once) and closes the connections. */
  stop(): Promise<void>;
}

/**
 * Starts coordinators for several namespaces in this process. Run the same group in several
 * replicas: the leases spread between them (each replica aims at `ceil(namespaces / replicas)`,
 * see `LeaseBalancer`), so the firing load spreads over replicas and, on a Redis Cluster, over
 * its masters. When a replica dies its leases move to the others within about one lease.
 *
 * @throws ValidationError for an empty or invalid namespace list or a bad option
 */
export async function startCoordinatorGroup(options: CoordinatorGroupOptions, logger: Logger = createLogger('sundial-coordinator')): Promise<CoordinatorGroup> {
  const { namespaces: wanted, namespaceScanEveryMs, port, ...coordinatorOptions } = options;
  checkNamespaceGroupOptions(options);
  const resolved = resolveCoordinatorOptions({ ...coordinatorOptions, port });
  const apiNamespace = wanted === 'all' ? resolved.namespace : (wanted[0] as string);
  const { connection } = resolved;
  const ownsConnection = !isRedisConnection(connection);
  const redis = isRedisConnection(connection) ? connection : createRedisConnection(connection, { connectionName: 'sundial:coordinator' });
  if (ownsConnection) redis.on('error', (error: Error) => logger.warn({ err: error }, 'Redis connection error'));

  const balancer = new LeaseBalancer({ yieldCooldownMs: resolved.renewEveryMs * 2 });
  const coordinators = new Map<string, Coordinator>();

  const startNamespace = async (namespace: string): Promise<void> => {
    const coordinator = await startCoordinator({ ...coordinatorOptions, namespace, connection: redis, port: undefined }, logger, {
      gate: (isLeaseFree) => balancer.gateFor(namespace, isLeaseFree),
      namespaceLabel: true,
      processMetrics: false,
      checkDurability: coordinators.size === 0,
    });
    coordinators.set(namespace, coordinator);
    if (follower) logger.info({ namespace }, 'serving a namespace found in Redis');
  };

  // The replicas serving these namespaces, from the coordinators' heartbeats (one per process and namespace).
  const countReplicas = async (): Promise<void> => {
    const first = coordinators.values().next().value;
    if (!first) return;
    const nowMs = Date.now() + first.clockSkewMs();
    const replicas = new Set<string>();
    const hashes = await Promise.all([...coordinators.keys()].map((namespace) => redis.hgetall(namespaceKeys(namespace).coordinators)));
    for (const hash of hashes) {
      for (const beat of liveHeartbeats<CoordinatorHeartbeat>(hash, nowMs)) replicas.add(`${beat.host}/${beat.pid}`);
    }
    balancer.setReplicaCount(replicas.size);
  };

  let follower: NamespaceFollower | undefined;
  let replicaTimer: NodeJS.Timeout | undefined;
  const stopCoordinators = async (): Promise<void> => {
    follower?.stop();
    clearInterval(replicaTimer);
    await Promise.all([...coordinators.values()].map((coordinator) => coordinator.stop()));
  };

  let server: AdminServer | undefined;
  let apiClient: SundialClient | undefined;
  try {
    // Each namespace's coordinator heartbeats before contending, so replicas started together see each other early.
    follower = await followNamespaces(redis, { namespaces: wanted, namespaceScanEveryMs }, startNamespace, (error) => logger.warn({ err: error }, 'could not look for namespaces'));
    await countReplicas();
    replicaTimer = setInterval(() => void countReplicas().catch((error: unknown) => logger.warn({ err: error }, 'could not count coordinator replicas')), resolved.heartbeatEveryMs);
    if (port !== undefined) {
      const probes: ProbeSources = {
        registry: combinedMetrics(() => [...coordinators.values()].map((coordinator) => coordinator.metricsRegistry)),
        ready: () => redis.status === 'ready',
        alive: () => [...coordinators.values()].every((coordinator) => coordinator.probes.alive?.() ?? true),
        logger,
      };
      apiClient = new SundialClient({ ...resolved, namespace: apiNamespace, connection: redis });
      server = await startAdminServer({ port, probes, operations: apiClient, auth: resolved.api, logger });
    }
  } catch (error) {
    await stopCoordinators();
    await apiClient?.close().catch(() => undefined);
    if (ownsConnection) await closeRedis(redis);
    throw error;
  }
  logger.info({ namespaces: [...coordinators.keys()].sort(), httpPort: server?.port, apiNamespace }, 'coordinator group started');

  let stopping: Promise<void> | undefined;
  return {
    httpPort: server?.port,
    apiNamespace,
    namespaces: () => [...coordinators.keys()].sort(),
    coordinator: (namespace) => coordinators.get(namespace),
    leading: () => balancer.leadingNamespaces(),
    stop: () =>
      (stopping ??= (async () => {
        await stopCoordinators();
        await server?.close();
        await apiClient?.close();
        if (ownsConnection) await closeRedis(redis);
        logger.info('coordinator group stopped');
      })()),
  };
}
