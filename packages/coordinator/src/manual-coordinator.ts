import { LeaderStore, closeRedis, createRedisConnection, isRedisConnection, namespaceKeys, type Clock, type Lease, type NamespaceKeys, type RedisConnection } from '@sundial/shared';
import pino from 'pino';
import { resolveCoordinatorOptions, type CoordinatorOptions } from './coordinator-options';
import { Dispatcher } from './fire-loop/dispatcher';
import { FireLoop, type TickSummary } from './fire-loop/fire-loop';
import { LeaderElection } from './leader/leader-election';
import type { Logger } from './logger';

/** Options of {@link startManualCoordinator}. */
export interface ManualCoordinatorOptions
  extends Pick<CoordinatorOptions, 'connection' | 'namespace' | 'historyLimit' | 'eventsMaxLength' | 'batchSize' | 'maxFiresPerTick' | 'jobRetention' | 'leaseMs' | 'renewEveryMs'> {
  /** The time every fire decision is made at; the coordinator reads it at each {@link ManualCoordinator.tick}. */
  clock: Clock;
  /** Where it logs. @defaultValue silent */
  logger?: Logger;
}

/**
 * A coordinator whose fire loop runs only when told to: each {@link ManualCoordinator.tick} is one
 * pass of the production fire loop (operator requests, due schedules, buffered fires, dispatch to
 * BullMQ, cancellations) at the clock's current time. It leads its namespace through the usual
 * election (a renewed, fenced lease), so no other coordinator fires there meanwhile.
 */
export interface ManualCoordinator {
  readonly namespace: string;
  readonly keys: NamespaceKeys;
  /** The lease it holds; undefined once stopped or lost. */
  lease(): Lease | undefined;
  /** One pass of the fire loop at `clock.now()`. @throws LeaseLostError, or an error when it no longer leads */
  tick(): Promise<TickSummary>;
  /** The earliest due time of an active schedule, jitter included; undefined when none is active. */
  nextDueMs(): Promise<number | undefined>;
  /** Whether fires buffered by `overlap: buffer-one` wait for their schedule's running run. */
  hasBufferedFires(): Promise<boolean>;
  /** Releases the lease and closes what it opened (a connection it was given stays open). */
  stop(): Promise<void>;
}

/**
 * Starts a {@link ManualCoordinator}: waits until it leads the namespace (at most about two leases,
 * time for a departed leader's lease to expire).
 *
 * @throws ValidationError naming the option; an error when another coordinator keeps the lease
 */
export async function startManualCoordinator(options: ManualCoordinatorOptions): Promise<ManualCoordinator> {
  const { clock, logger = pino({ level: 'silent' }), ...rest } = options;
  const resolved = resolveCoordinatorOptions(rest, {});
  const keys = namespaceKeys(resolved.namespace);
  const { connection } = resolved;
  const redis: RedisConnection = isRedisConnection(connection) ? connection : createRedisConnection(connection, { connectionName: 'sundial:coordinator:manual' });
  const log = logger.child({ namespace: resolved.namespace, manual: true });
  const store = new LeaderStore(redis, keys, { historyLimit: resolved.historyLimit, eventsMaxLength: resolved.eventsMaxLength, jobRetention: resolved.jobRetention });
  const election = new LeaderElection(redis, store, { leaseMs: resolved.leaseMs, renewEveryMs: resolved.renewEveryMs }, log);
  const dispatcher = new Dispatcher(redis, store, clock, resolved.jobRetention, log);
  const loop = new FireLoop(
    store,
    { lease: () => election.lease(), markLost: (reason) => election.markLost(reason) },
    dispatcher,
    clock,
    { batchSize: resolved.batchSize, maxSleepMs: resolved.leaseMs, maxFiresPerTick: resolved.maxFiresPerTick, cancelChannel: keys.cancelChannel },
    log,
  );
  const close = async (): Promise<void> => {
    await election.stop();
    await dispatcher.close();
    if (!isRedisConnection(connection)) await closeRedis(redis);
  };

  const waitMs = resolved.leaseMs * 2 + resolved.renewEveryMs;
  const elected = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), waitMs);
    election.once('elected', () => {
      clearTimeout(timer);
      resolve(true);
    });
    election.start();
  });
  if (!elected) {
    await close();
    throw new Error(`namespace "${resolved.namespace}" kept another leader for ${waitMs} ms; a manual coordinator must be the namespace's only coordinator`);
  }

  let stopping: Promise<void> | undefined;
  return {
    namespace: resolved.namespace,
    keys,
    lease: () => election.lease(),
    tick: async () => {
      const lease = election.lease();
      if (!lease) throw new Error(`the manual coordinator of namespace "${resolved.namespace}" does not lead it (stopped, or its lease was lost)`);
      return loop.tick(lease);
    },
    nextDueMs: () => store.earliestDueMs(),
    hasBufferedFires: async () => (await redis.hlen(keys.buffered)) > 0,
    stop: () => (stopping ??= close()),
  };
}
