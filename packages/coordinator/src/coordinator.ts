import {
  CoordinatorMetrics,
  EventHub,
  closeRedis,
  settleWithin,
  LeaderStore,
  LoopLiveness,
  QueueDepthReader,
  appendEvent,
  countSchedules,
  countQueueWorkers,
  reapExpiredHeartbeats,
  RedisClock,
  createRedisConnection,
  checkNamespaceSlots,
  duplicateRedisConnection,
  isRedisConnection,
  type RedisConnection,
  namespaceKeys,
  SundialClient,
  type CoordinatorHeartbeat,
  type EventHooks,
  type Lease,
  type ProbeSources,
} from '@sundial/shared';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Registry } from 'prom-client';
import { resolveCoordinatorOptions, type CoordinatorOptions, type ResolvedCoordinatorOptions } from './coordinator-options';
import { Dispatcher } from './fire-loop/dispatcher';
import { FireLoop } from './fire-loop/fire-loop';
import { FireTelemetry } from './fire-loop/fire-telemetry';
import type { ContentionGate } from './leader/contention-gate';
import { LeaderElection } from './leader/leader-election';
import { createLogger, type Logger } from './logger';
import { startAdminServer, type AdminServer } from './api/admin-server';
import { checkRedisDurability } from './redis-durability';
import { packageVersion } from './cli/version';

/**
 * The longest a stopping coordinator waits for Redis to hand its lease over and deregister;
 * after that it closes its connections anyway.
 */
export const STOP_TIMEOUT_MS = 10_000;

/**
 * A running coordinator. Its `on()` hooks receive the events this coordinator records:
 * `leader.elected` and `leader.lost`, and, while it leads, `run.enqueued`, `run.missed` and
 * `run.skipped` from its fire loop.
 */
export interface Coordinator extends EventHooks {
  /** This coordinator's id (random per process). */
  readonly id: string;
  readonly options: ResolvedCoordinatorOptions;
  /** The port serving `/metrics`, `/healthz` and `/readyz`; undefined when it serves none (no `port` option). */
  readonly httpPort: number | undefined;
  /** The lease it holds, when it is the leader. */
  lease(): Lease | undefined;
  /** Redis time minus local time, as last measured. */
  clockSkewMs(): number;
  /** What its `/metrics`, `/healthz` and `/readyz` report (served on `httpPort`, or by a coordinator group). */
  readonly probes: ProbeSources;
  /** Its metrics registry (what `probes` serves). */
  readonly metricsRegistry: Registry;
  /** Stops firing, releases the lease (a standby takes over at once) and closes its connections. */
  stop(): Promise<void>;
}

/** Parts a coordinator that leads several namespaces (`startCoordinatorGroup`) gives each namespace's coordinator. */
export interface CoordinatorParts {
  /** Decides when this namespace's election contends and yields; given whether the lease is free now. */
  readonly gate?: (isLeaseFree: () => Promise<boolean>) => ContentionGate;
  /** Label every metric with the namespace (`sundial_namespace`, apart from the `namespace` a Kubernetes scrape adds). @defaultValue false */
  readonly namespaceLabel?: boolean;
  /** Include prom-client's process metrics. @defaultValue true */
  readonly processMetrics?: boolean;
  /** Warn at start when Redis does not keep its data (once per process is enough). @defaultValue true */
  readonly checkDurability?: boolean;
}

/**
 * Starts a coordinator: it contends for leadership and, while it leads, fires due schedules.
 * Run several for high availability; exactly one leads at a time.
 */
export async function startCoordinator(options: CoordinatorOptions = {}, logger: Logger = createLogger('sundial-coordinator'), parts: CoordinatorParts = {}): Promise<Coordinator> {
  const resolved = resolveCoordinatorOptions(options);
  const id = randomUUID();
  const keys = namespaceKeys(resolved.namespace);
  const { connection } = resolved;
  const owned = !isRedisConnection(connection);
  const redis: RedisConnection = isRedisConnection(connection) ? connection : createRedisConnection(connection, { connectionName: 'sundial:coordinator' });
  const log = logger.child({ coordinator: id, namespace: resolved.namespace });

  const clock = new RedisClock(redis, keys.leader);
  const syncClock = async () => {
    const skew = await clock.sync();
    if (Math.abs(skew) > resolved.clockSkewWarnMs) log.warn({ skewMs: skew }, 'local clock differs from Redis time; Sundial uses Redis time');
  };
  try {
    if (parts.checkDurability ?? true) for (const warning of await checkRedisDurability(redis)) log.warn(warning);
    await checkNamespaceSlots(redis, keys);
    await syncClock();
  } catch (error) {
    if (owned) await closeRedis(redis);
    throw error;
  }
  // Opened once the checks above passed, so that a refused start leaves no connection open.
  const subscriber = duplicateRedisConnection(redis, { connectionName: 'sundial:coordinator:events' });
  const reads = duplicateRedisConnection(redis, { connectionName: 'sundial:coordinator:reads' });

  const store = new LeaderStore(redis, keys, { historyLimit: resolved.historyLimit, eventsMaxLength: resolved.eventsMaxLength, coordinatorId: id, jobRetention: resolved.jobRetention, readConnection: reads });
  const gate = parts.gate?.(async () => (await redis.exists(keys.leader)) === 0);
  const election = new LeaderElection(redis, store, { leaseMs: resolved.leaseMs, renewEveryMs: resolved.renewEveryMs, gate }, log);
  const dispatcher = new Dispatcher(redis, store, clock, resolved.jobRetention, log, resolved.lookaheadMs);
  const hub = new EventHub(log);
  const queueDepths = new QueueDepthReader(redis, keys);
  const metrics = new CoordinatorMetrics(
    {
      leaseEpoch: () => election.lease()?.epoch,
      clockSkewMs: () => clock.skewMs,
      scheduleCounts: () => countSchedules(redis, keys),
      queueDepths: () => queueDepths.read(),
      queueWorkers: () => countQueueWorkers(redis, keys, clock.now()),
    },
    { perScheduleMetrics: resolved.perScheduleMetrics, processMetrics: parts.processMetrics, labels: parts.namespaceLabel ? { sundial_namespace: resolved.namespace } : undefined },
  );
  const liveness = new LoopLiveness(resolved.maxSleepMs);
  const loop = new FireLoop(
    store,
    election,
    dispatcher,
    clock,
    { batchSize: resolved.batchSize, maxSleepMs: resolved.maxSleepMs, maxFiresPerTick: resolved.maxFiresPerTick, lookaheadMs: resolved.lookaheadMs, cancelChannel: keys.cancelChannel, observer: new FireTelemetry(metrics, hub), liveness },
    log,
  );
  const probes: ProbeSources = {
    registry: metrics.registry,
    // Readiness does not depend on leadership: a standby is ready to take over.
    ready: () => redis.status === 'ready',
    // A loop waiting for an unreachable Redis is not stuck; readiness reports that.
    alive: () => liveness.alive() || redis.status !== 'ready',
    logger: log,
  };
  const startedAt = new Date().toISOString();

  const heartbeat = async () => {
    const lease = election.lease();
    const beat: CoordinatorHeartbeat = {
      id,
      host: hostname(),
      pid: process.pid,
      version: packageVersion(),
      startedAt,
      leader: lease !== undefined,
      epoch: lease?.epoch ?? null,
      clockSkewMs: clock.skewMs,
      expiresAt: clock.now() + resolved.heartbeatEveryMs * 3,
    };
    await redis.hset(keys.coordinators, id, JSON.stringify(beat));
  };

  subscriber.on('message', (channel: string) => {
    if (channel === keys.changesChannel) loop.wake();
    else if (channel === keys.leaderChannel) election.contendNow();
  });
  await subscriber.subscribe(keys.changesChannel, keys.leaderChannel);
  let server: AdminServer | undefined;
  // The admin API's operations share the coordinator's connection.
  const apiClient = resolved.port === undefined ? undefined : new SundialClient({ ...resolved, connection: redis });
  if (apiClient && resolved.port !== undefined) {
    try {
      server = await startAdminServer({ port: resolved.port, probes, operations: apiClient, auth: resolved.api, logger: log });
    } catch (error) {
      await apiClient.close().catch(() => undefined);
      await closeRedis(subscriber);
      await closeRedis(reads);
      await dispatcher.close();
      await queueDepths.close();
      if (owned) await closeRedis(redis);
      throw error;
    }
  }
  election.on('elected', () => {
    void heartbeat().catch(() => undefined);
    loop.wake();
  });
  election.on('lost', () => void heartbeat().catch(() => undefined));
  // Every change of leadership is counted and told to the in-process hooks.
  let ledEpoch: number | undefined;
  const leadershipChanged = (type: 'leader.elected' | 'leader.lost', epoch: number | undefined, reason?: string): void => {
    metrics.leadershipChanged();
    if (!hub.wants(type)) return;
    hub.emit({ type, time: new Date(clock.now()).toISOString(), coordinator: id, ...(epoch === undefined ? {} : { epoch }), ...(reason === undefined ? {} : { reason }) });
  };
  election.on('elected', (lease) => {
    ledEpoch = lease.epoch;
    leadershipChanged('leader.elected', lease.epoch);
  });
  election.on('lost', (_reason, cause) => leadershipChanged('leader.lost', ledEpoch, cause));
  // `leader.elected` is written with the epoch claim; `leader.lost` here, best-effort (Redis may be why it was lost).
  let leadingEpoch: number | undefined;
  const recordLeaderLost = async (reason: 'released' | 'expired' | 'lost'): Promise<void> => {
    const epoch = leadingEpoch;
    leadingEpoch = undefined;
    if (epoch === undefined) return;
    await appendEvent(redis, keys.events, resolved.eventsMaxLength, { type: 'leader.lost', timeMs: clock.now(), coordinator: id, epoch, reason }).catch((error: unknown) =>
      log.warn({ err: error, epoch }, 'could not record leader.lost'),
    );
  };
  election.on('elected', (lease) => void (leadingEpoch = lease.epoch));
  election.on('lost', (_reason, cause) => {
    if (cause !== 'yielded') {
      void recordLeaderLost(cause);
      return;
    }
    // Given up on purpose: recorded as a release, then standbys are told to contend at once.
    void recordLeaderLost('released').then(() => redis.publish(keys.leaderChannel, id).catch(() => undefined));
  });
  const reapHeartbeats = async (): Promise<void> => {
    const left = await reapExpiredHeartbeats(redis, keys, { nowMs: clock.now(), eventsMaxLength: resolved.eventsMaxLength });
    if (left.length > 0) log.info({ workers: left }, 'removed workers whose heartbeat expired');
  };

  const timers = [
    setInterval(() => void syncClock().catch((error: unknown) => log.warn({ err: error }, 'clock sync failed')), resolved.clockSyncEveryMs),
    setInterval(() => void heartbeat().then(reapHeartbeats).catch((error: unknown) => log.warn({ err: error }, 'heartbeat failed')), resolved.heartbeatEveryMs),
  ];
  await heartbeat();
  election.start();
  loop.start();
  log.info({ leaseMs: resolved.leaseMs, httpPort: server?.port }, 'coordinator started');

  let stopping: Promise<void> | undefined;
  return {
    id,
    options: resolved,
    httpPort: server?.port,
    probes,
    metricsRegistry: metrics.registry,
    lease: () => election.lease(),
    clockSkewMs: () => clock.skewMs,
    on: (types, handler) => hub.on(types, handler),
    stop: () => {
      stopping ??= (async () => {
        for (const timer of timers) clearInterval(timer);
        const handOver = async (): Promise<boolean> => {
          // Stop firing before giving the lease up, so no tick runs without it.
          await loop.stop();
          // Recorded while the lease is still held, so it comes before the next leader's `leader.elected`.
          await recordLeaderLost('released');
          const wasLeader = await election.stop();
          if (wasLeader) leadershipChanged('leader.lost', ledEpoch, 'released');
          if (wasLeader) await redis.publish(keys.leaderChannel, id).catch(() => undefined);
          await redis.hdel(keys.coordinators, id).catch(() => undefined);
          await dispatcher.close();
          await queueDepths.close();
          await apiClient?.close();
          return wasLeader;
        };
        const handedOver = await settleWithin(handOver(), STOP_TIMEOUT_MS);
        if (!handedOver.settled) {
          log.warn({ timeoutMs: STOP_TIMEOUT_MS }, 'Redis did not answer while stopping; leaving without handing over (a standby takes over when the lease expires)');
        }
        await server?.close();
        await closeRedis(subscriber);
        await closeRedis(reads);
        if (owned) await closeRedis(redis);
        log.info({ wasLeader: handedOver.settled ? handedOver.value : undefined }, 'coordinator stopped');
      })();
      return stopping;
    },
  };
}
