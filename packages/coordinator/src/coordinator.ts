import { CoordinatorMetrics, LeaderStore, RedisClock, createRedisConnection, namespaceKeys, startHealthServer, type CoordinatorHeartbeat, type HealthServer, type Lease } from '@sundial/shared';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import { resolveCoordinatorOptions, type CoordinatorOptions, type ResolvedCoordinatorOptions } from './coordinator-options';
import { Dispatcher } from './fire-loop/dispatcher';
import { FireLoop } from './fire-loop/fire-loop';
import { LeaderElection } from './leader/leader-election';
import { createLogger, type Logger } from './logger';
import { checkRedisDurability } from './redis-durability';
import { packageVersion } from './cli/version';

/** A running coordinator. */
export interface Coordinator {
  /** This coordinator's id (random per process). */
  readonly id: string;
  readonly options: ResolvedCoordinatorOptions;
  /** The port serving `/metrics`, `/healthz` and `/readyz`; undefined when it serves none (no `port` option). */
  readonly httpPort: number | undefined;
  /** The lease it holds, when it is the leader. */
  lease(): Lease | undefined;
  /** Redis time minus local time, as last measured. */
  clockSkewMs(): number;
  /** Stops firing, releases the lease (a standby takes over at once) and closes its connections. */
  stop(): Promise<void>;
}

/**
 * Starts a coordinator: it contends for leadership and, while it leads, fires due schedules.
 * Run several for high availability; exactly one leads at a time.
 */
export async function startCoordinator(options: CoordinatorOptions = {}, logger: Logger = createLogger('sundial-coordinator')): Promise<Coordinator> {
  const resolved = resolveCoordinatorOptions(options);
  const id = randomUUID();
  const keys = namespaceKeys(resolved.namespace);
  const { connection } = resolved;
  const url = typeof connection === 'string' ? connection : undefined;
  const redis: Redis = typeof connection === 'string' ? createRedisConnection(connection, { connectionName: 'sundial:coordinator' }) : connection;
  const subscriber = redis.duplicate({ connectionName: 'sundial:coordinator:events' });
  const log = logger.child({ coordinator: id, namespace: resolved.namespace });

  for (const warning of await checkRedisDurability(redis)) log.warn(warning);
  const clock = new RedisClock(redis);
  const syncClock = async () => {
    const skew = await clock.sync();
    if (Math.abs(skew) > resolved.clockSkewWarnMs) log.warn({ skewMs: skew }, 'local clock differs from Redis time; Sundial uses Redis time');
  };
  await syncClock();

  const store = new LeaderStore(redis, keys, { historyLimit: resolved.historyLimit, eventsMaxLength: resolved.eventsMaxLength });
  const election = new LeaderElection(redis, store, { leaseMs: resolved.leaseMs, renewEveryMs: resolved.renewEveryMs }, log);
  const dispatcher = new Dispatcher(redis, store, clock, resolved.jobRetention, log);
  const metrics = resolved.port === undefined ? undefined : new CoordinatorMetrics({ leaseEpoch: () => election.lease()?.epoch, clockSkewMs: () => clock.skewMs });
  const onTick = metrics ? (summary: Parameters<CoordinatorMetrics['countFires']>[0]) => metrics.countFires(summary) : undefined;
  const loop = new FireLoop(store, election, dispatcher, clock, { batchSize: resolved.batchSize, maxSleepMs: resolved.maxSleepMs, maxFiresPerTick: resolved.maxFiresPerTick, cancelChannel: keys.cancelChannel, onTick }, log);
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
  let server: HealthServer | undefined;
  if (metrics && resolved.port !== undefined) {
    try {
      // Readiness does not depend on leadership: a standby is ready to take over.
      server = await startHealthServer({ port: resolved.port, registry: metrics.registry, ready: () => redis.status === 'ready', logger: log });
    } catch (error) {
      await subscriber.quit().catch(() => undefined);
      await dispatcher.close();
      if (url) await redis.quit().catch(() => undefined);
      throw error;
    }
  }
  election.on('elected', () => {
    void heartbeat().catch(() => undefined);
    loop.wake();
  });
  election.on('lost', () => void heartbeat().catch(() => undefined));

  const timers = [
    setInterval(() => void syncClock().catch((error: unknown) => log.warn({ err: error }, 'clock sync failed')), resolved.clockSyncEveryMs),
    setInterval(() => void heartbeat().catch((error: unknown) => log.warn({ err: error }, 'heartbeat failed')), resolved.heartbeatEveryMs),
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
    lease: () => election.lease(),
    clockSkewMs: () => clock.skewMs,
    stop: () => {
      stopping ??= (async () => {
        for (const timer of timers) clearInterval(timer);
        // Stop firing before giving the lease up, so no tick runs without it.
        await loop.stop();
        const wasLeader = await election.stop();
        if (wasLeader) await redis.publish(keys.leaderChannel, id).catch(() => undefined);
        await redis.hdel(keys.coordinators, id).catch(() => undefined);
        await dispatcher.close();
        await server?.close();
        await subscriber.quit().catch(() => undefined);
        if (url) await redis.quit().catch(() => undefined);
        log.info({ wasLeader }, 'coordinator stopped');
      })();
      return stopping;
    },
  };
}
