import { EventHub, LoopLiveness, closeRedis, settleWithin, RedisClock, RunTracker, appendEvent, WorkerMetrics, createProcessLogger, createRedisConnection, checkNamespaceSlots, duplicateRedisConnection, isRedisConnection, namespaceKeys, startHealthServer, type EventHooks, type HealthServer, type RedisConnection } from '@sundial/shared';
import { Worker } from 'bullmq';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { WorkerShutdownError } from './runtime/abort-reasons';
import { ExecutorPool } from './runtime/executor-pool';
import { fetcherShares } from './runtime/fetcher-shares';
import { GlobalConcurrency } from './runtime/global-concurrency';
import { HeartbeatPublisher } from './runtime/heartbeat';
import { RunProcessor } from './runtime/run-processor';
import { StallReporter } from './runtime/stall-reporter';
import { resolveWorkerOptions, type ResolvedWorkerOptions, type WorkerOptions } from './worker-options';

/**
 * A running worker. Its `on()` hooks receive the events of the runs it executes (`run.started`,
 * `run.succeeded`, `run.failed`, `run.retrying`, `run.timed_out`, `run.cancelled`, `run.stalled`
 * for the stalls it finds) and its own `worker.joined` and `worker.left`.
 */
export interface SundialWorker extends EventHooks {
  /** This worker's id (random per start), as its heartbeat and run records show it. */
  readonly id: string;
  /** The options in effect. */
  readonly options: ResolvedWorkerOptions;
  /** The port serving `/metrics`, `/healthz` and `/readyz`; undefined when the worker serves none (no `port` option). */
  readonly httpPort: number | undefined;
  /** Its metrics registry: undefined unless it serves `/metrics` itself (`port`) or for a worker group. */
  readonly metricsRegistry: WorkerMetrics['registry'] | undefined;
  /** Whether it serves every queue while Redis is connected (`/readyz`). */
  ready(): boolean;
  /** Whether its heartbeat loop is still ticking (`/healthz`). */
  alive(): boolean;
  /**
   * Stops in order: takes no new run, lets in-flight runs finish for up to `shutdownGraceMs`,
   * then aborts the signals of those still running (reason: `WorkerShutdownError`; they go back
   * to their queue), waits briefly for them, and closes. Safe to call more than once.
   */
  close(): Promise<void>;
}

/** What a worker group (`sundial-worker --namespaces`) gives each namespace's worker. */
export interface WorkerParts {
  /** Keep metrics labelled with the namespace, without process metrics, for the group to serve. @defaultValue false */
  readonly namespaceMetrics?: boolean;
}

/** The longest a stopping worker waits for Redis in each step that needs it (pausing, deregistering). */
export const STOP_STEP_TIMEOUT_MS = 5_000;

/** After aborting the runs still in flight at the end of the grace period, how long to wait for them. */
export const SHUTDOWN_ABORT_WAIT_MS = 2_000;

function defaultLogger(): Logger {
  return createProcessLogger({ name: 'sundial-worker' });
}

/**
 * Starts a worker: it takes the runs of its tasks from their BullMQ queues in the namespace and
 * executes them, keeping their run records true; publishes a heartbeat; and aborts runs the
 * coordinator cancels. Run as many as you like: each run executes at least once, until it
 * succeeds or exhausts its retries.
 *
 * @example
 * const worker = await startWorker({ tasks: [report], concurrency: 4 });
 * process.once('SIGTERM', () => void worker.close());
 * @throws ValidationError naming the option
 */
export async function startWorker(options: WorkerOptions, parts: WorkerParts = {}): Promise<SundialWorker> {
  const resolved = resolveWorkerOptions(options);
  const id = randomUUID();
  const keys = namespaceKeys(resolved.namespace);
  const { connection } = resolved;
  const log = (resolved.logger ?? defaultLogger()).child({ worker: id, namespace: resolved.namespace });
  const owned = !isRedisConnection(connection);
  const redis: RedisConnection = isRedisConnection(connection) ? connection : createRedisConnection(connection, { connectionName: 'sundial:worker' });
  if (owned) redis.on('error', (error: Error) => log.warn({ err: error }, 'Redis connection error'));
  const blocking = (): RedisConnection => {
    const client = isRedisConnection(connection) ? duplicateRedisConnection(connection, { connectionName: 'sundial:worker:bullmq', blocking: true }) : createRedisConnection(connection, { connectionName: 'sundial:worker:bullmq', blocking: true });
    client.on('error', () => undefined);
    return client;
  };
  const subscriber = duplicateRedisConnection(redis, { connectionName: 'sundial:worker:cancel' });
  subscriber.on('error', () => undefined);

  const clock = new RedisClock(redis, keys.leader);
  const hub = new EventHub(log);
  const onEvent = (event: Parameters<EventHub['emit']>[0]): void => hub.emit(event);
  const tracker = new RunTracker(redis, keys, { workerId: id, eventsMaxLength: resolved.eventsMaxLength, onEvent });
  const globalConcurrency = new GlobalConcurrency(redis, keys, id, clock, resolved.heartbeatEveryMs * 3);
  const executors = new ExecutorPool();
  const metrics =
    resolved.port === undefined && !parts.namespaceMetrics
      ? undefined
      : new WorkerMetrics({ tasks: resolved.tasks.names(), concurrency: resolved.concurrency, ...(parts.namespaceMetrics && { labels: { sundial_namespace: resolved.namespace }, processMetrics: false }) });
  // The heartbeat timer ticks it whether or not Redis answers: Redis being down is no reason to restart.
  const liveness = new LoopLiveness(resolved.heartbeatEveryMs);
  // Run records use the given clock; liveness (heartbeats, concurrency leases) always uses Redis time.
  const runClock = resolved.clock ?? clock;
  const processor = new RunProcessor({ options: resolved, tracker, clock: runClock, globalConcurrency, executors, logger: log, metrics });
  const heartbeat = new HeartbeatPublisher(redis, keys, clock, { id, queues: resolved.queues, tasks: resolved.tasks.names(), concurrency: resolved.concurrency }, resolved.heartbeatEveryMs);
  const beat = async (): Promise<void> => {
    await clock.sync();
    await heartbeat.beat(processor.inFlight);
    await globalConcurrency.renewAll();
  };

  subscriber.on('message', (_channel: string, runId: string) => processor.cancel(runId));
  const workers: Worker[] = [];
  // Each queue may take up to the whole process's concurrency and prefetch (the processor caps
  // the handlers), split over as many BullMQ Workers as it takes to fetch them quickly.
  const shares = fetcherShares(resolved.concurrency + resolved.prefetch);
  // Ready once every queue is being served (the list fills below) and while Redis is connected.
  const ready = (): boolean => redis.status === 'ready' && workers.length === resolved.queues.length * shares.length && workers.every((worker) => worker.isRunning());
  let server: HealthServer | undefined;
  try {
    await checkNamespaceSlots(redis, keys);
    if (metrics && resolved.port !== undefined) {
      server = await startHealthServer({
        port: resolved.port,
        registry: metrics.registry,
        ready,
        alive: liveness.alive,
        logger: log,
      });
    }
    await subscriber.subscribe(keys.cancelChannel);
    await beat();
  } catch (error) {
    await server?.close();
    subscriber.disconnect();
    if (owned) redis.disconnect();
    throw error;
  }

  const connections: RedisConnection[] = [];
  const started = resolved.queues.flatMap((queue) => shares.map((share) => {
    const client = blocking();
    connections.push(client);
    const worker = new Worker(queue, processor.processOn(client), {
      connection: client,
      prefix: keys.bullPrefix,
      concurrency: share,
      stalledInterval: resolved.stalledIntervalMs,
      maxStalledCount: resolved.maxStalledCount,
      // A lock that outlives the stall check by much would delay the takeover of a dead worker's runs.
      lockDuration: resolved.stalledIntervalMs,
    });
    const stalls = new StallReporter({
      redis,
      keys,
      tracker,
      clock: runClock,
      jobs: worker,
      options: { workerId: id, queue, maxStalledCount: resolved.maxStalledCount, eventsMaxLength: resolved.eventsMaxLength },
      logger: log,
      metrics,
      onEvent,
    });
    worker.on('error', (error) => log.warn({ err: error, queue }, 'queue error'));
    worker.on('stalled', (jobId) => void stalls.stalled(jobId).catch((error: unknown) => log.warn({ err: error, runId: jobId }, 'could not record a stall')));
    worker.on('failed', (job) => void stalls.failed(job).catch((error: unknown) => log.warn({ err: error, runId: job?.id }, 'could not record a stalled run as failed')));
    return worker;
  }));
  workers.push(...started);

  // Closing a worker whose connection is still initializing makes BullMQ emit an error nobody can catch.
  await Promise.all(workers.map((worker) => worker.waitUntilReady()));
  let beating: Promise<void> | undefined;
  const timer = setInterval(() => {
    liveness.tick();
    // A beat still waiting for Redis is not doubled up.
    beating ??= beat()
      .catch((error: unknown) => log.warn({ err: error }, 'heartbeat failed'))
      .finally(() => (beating = undefined));
  }, resolved.heartbeatEveryMs);
  log.info({ queues: resolved.queues, tasks: resolved.tasks.names(), concurrency: resolved.concurrency, httpPort: server?.port }, 'worker started');
  const recordPresence = (type: 'worker.joined' | 'worker.left', reason?: string): Promise<void> =>
    appendEvent(redis, keys.events, resolved.eventsMaxLength, { type, timeMs: clock.now(), worker: id, reason }).then(
      () => undefined,
      (error: unknown) => log.warn({ err: error }, `could not record ${type}`),
    );
  await recordPresence('worker.joined');

  let closing: Promise<void> | undefined;
  const close = async (): Promise<void> => {
    log.info({ inFlight: processor.inFlight, graceMs: resolved.shutdownGraceMs }, 'stopping: taking no new runs, waiting for those in flight');
    // Each step that needs Redis is bounded: a worker whose Redis is gone still stops.
    const paused = await settleWithin(Promise.all(workers.map((worker) => worker.pause(true))), STOP_STEP_TIMEOUT_MS);
    processor.beginShutdown();
    let drained = await processor.drain(resolved.shutdownGraceMs);
    if (!drained) {
      log.warn({ inFlight: processor.inFlight }, 'grace period over: aborting the runs still in flight; they go back to their queues');
      processor.abortAll(new WorkerShutdownError(resolved.shutdownGraceMs));
      drained = await processor.drain(SHUTDOWN_ABORT_WAIT_MS);
    }
    const deregistered = await settleWithin(
      (async () => {
        await Promise.all(workers.map((worker) => worker.close(!drained).catch((error: unknown) => log.warn({ err: error }, 'closing a queue failed'))));
        await heartbeat.remove().catch(() => undefined);
        await recordPresence('worker.left', 'stopped');
      })(),
      STOP_STEP_TIMEOUT_MS,
    );
    if (!paused.settled || !deregistered.settled) {
      log.warn({ timeoutMs: STOP_STEP_TIMEOUT_MS }, 'Redis did not answer while stopping; closing without deregistering (the heartbeat expires on its own)');
    }
    clearInterval(timer);
    await server?.close();
    hub.emit({ type: 'worker.left', time: new Date(clock.now()).toISOString(), worker: id, reason: 'stopped' });
    await executors.close();
    await closeRedis(subscriber);
    for (const client of connections) await closeRedis(client);
    if (owned) await closeRedis(redis);
    log.info({ drained }, 'worker stopped');
  };
  // Hooks can be added only once this function has resolved: they get `worker.joined` right after.
  const joinedAt = new Date(clock.now()).toISOString();
  setImmediate(() => hub.emit({ type: 'worker.joined', time: joinedAt, worker: id }));
  return {
    id,
    options: resolved,
    httpPort: server?.port,
    metricsRegistry: metrics?.registry,
    ready,
    alive: liveness.alive,
    close: () => (closing ??= close()),
    on: (types, handler) => hub.on(types, handler),
  };
}
