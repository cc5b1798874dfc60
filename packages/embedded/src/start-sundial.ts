import { applySchedules, startCoordinator, type Coordinator, type ScheduleDiff } from '@sundial/coordinator';
import { SundialClient, closeRedis, connectRedis, isRedisConnection, type EventHooks, type RedisConnection } from '@sundial/shared';
import { startWorker, type SundialWorker } from '@sundial/worker';
import { combineHooks } from './combine-hooks';
import { resolveSundialOptions, type ResolvedSundialOptions, type SundialOptions } from './sundial-options';

/**
 * Sundial running inside an app. Its `on()` hooks hear the events of both roles this process
 * plays: the coordinator's (`leader.elected`, `leader.lost`, and while it leads `run.enqueued`,
 * `run.missed`, `run.skipped`) and the worker's (`run.started`, `run.succeeded`, `run.failed`,
 * `run.retrying`, ...). Events of the start itself (the first `worker.joined`, often the first
 * `leader.elected`) may come before a hook is added; `isLeader()` and `client.status()` tell
 * the state at any time.
 */
export interface Sundial extends EventHooks {
  /** A client of the namespace, on the shared connection: add, trigger, list schedules and runs. */
  readonly client: SundialClient;
  /** The coordinator, when this process plays that role. */
  readonly coordinator: Coordinator | undefined;
  /** The worker, when this process plays that role. */
  readonly worker: SundialWorker | undefined;
  /** What applying `schedules` did at start (or found already done); undefined when none were declared. */
  readonly applied: ScheduleDiff | undefined;
  /** Whether this process's coordinator leads now. */
  isLeader(): boolean;
  /**
   * Stops in order: the coordinator hands its lease over (another copy leads at once), the
   * worker takes no new run and lets those in flight finish (its `shutdownGraceMs`), then the
   * connections `startSundial` opened are closed. Safe to call more than once.
   */
  close(): Promise<void>;
}

/** Stops what has started, in the order `close()` does, and closes the connection when it was opened here. */
async function stopAll(parts: { coordinator?: Coordinator; worker?: SundialWorker; client: SundialClient; redis: RedisConnection; ownsRedis: boolean }): Promise<void> {
  const failures: unknown[] = [];
  const step = async (action: (() => Promise<void>) | undefined): Promise<void> => {
    try {
      await action?.();
    } catch (error) {
      failures.push(error);
    }
  };
  await step(parts.coordinator && (() => parts.coordinator!.stop()));
  await step(parts.worker && (() => parts.worker!.close()));
  await step(() => parts.client.close());
  if (parts.ownsRedis) await step(() => closeRedis(parts.redis));
  if (failures.length > 0) throw failures[0];
}

/** Warns about each declared schedule whose task this process does not run. */
function warnUnservedTasks(resolved: ResolvedSundialOptions): void {
  if (!resolved.roles.has('worker') || !resolved.schedules) return;
  const served = new Set(resolved.taskNames);
  for (const { path, spec } of resolved.schedules) {
    if (served.has(spec.task)) continue;
    resolved.logger.warn(
      { schedule: spec.id, task: spec.task, field: `${path}.task` },
      `schedule "${spec.id}" runs task "${spec.task}", which this app does not define; its runs wait until a worker that serves it (another app copy or sundial-worker) takes them`,
    );
  }
}

/**
 * Starts Sundial inside the calling process: a worker for `tasks` and a coordinator (both
 * roles by default), on one shared Redis connection, after making the namespace's schedules
 * match `schedules` as `sundial apply` does.
 *
 * Run the same app on any number of machines with no other change: every copy applies the same
 * schedules (the applies converge, and each fire time runs once whichever copy gets there
 * first), one coordinator is elected leader and fires them, and every copy's worker takes runs.
 * When the leader's process stops or dies, another copy takes over.
 *
 * It installs no signal handler: call `close()` on SIGTERM.
 *
 * @example
 * ```ts
 * const sundial = await startSundial({
 *   redis: process.env.REDIS_URL,
 *   tasks: [sendDigest],
 *   schedules: [{ id: 'daily-digest', task: 'send-digest', trigger: { cron: '0 8 * * *', timezone: 'Europe/Berlin' } }],
 * });
 * process.once('SIGTERM', () => void sundial.close());
 * ```
 *
 * @throws ValidationError naming the bad option (`roles[0]`, `schedules[1].trigger.cron`,
 *   `worker.concurrency`, ...) or TaskDefinitionError naming the task, before anything connects
 *   or changes; RedisConnectionError when Redis cannot be reached
 */
export async function startSundial(options: SundialOptions): Promise<Sundial> {
  const resolved = resolveSundialOptions(options);
  const { connection, namespace, logger, coordinator: coordinatorOptions } = resolved;
  warnUnservedTasks(resolved);
  const ownsRedis = !isRedisConnection(connection);
  const redis = isRedisConnection(connection) ? connection : await connectRedis(connection, { connectionName: 'sundial:app' });
  if (ownsRedis) redis.on('error', (error: Error) => logger.warn({ err: error }, 'Redis connection error'));
  const client = new SundialClient({
    connection: redis,
    namespace,
    ...(coordinatorOptions.maxDataBytes !== undefined && { maxDataBytes: coordinatorOptions.maxDataBytes }),
    ...(coordinatorOptions.historyLimit !== undefined && { historyLimit: coordinatorOptions.historyLimit }),
    ...(coordinatorOptions.eventsMaxLength !== undefined && { eventsMaxLength: coordinatorOptions.eventsMaxLength }),
  });
  const parts: Parameters<typeof stopAll>[0] = { client, redis, ownsRedis };
  let applied: ScheduleDiff | undefined;
  try {
    // The worker first: its heartbeat tells the apply below that the tasks are served.
    if (resolved.tasks) parts.worker = await startWorker({ ...resolved.worker, tasks: resolved.tasks, connection: redis, namespace, logger });
    if (resolved.schedules) {
      applied = await applySchedules(client, resolved.schedules, { prune: resolved.prune, onWarning: (message) => logger.warn(message) });
      logger.info({ created: applied.create.length, updated: applied.update.length, unchanged: applied.unchanged.length, removed: applied.remove.length }, 'schedules applied');
    }
    if (resolved.roles.has('coordinator')) parts.coordinator = await startCoordinator({ ...coordinatorOptions, connection: redis, namespace }, logger);
  } catch (error) {
    await stopAll(parts).catch(() => undefined);
    throw error;
  }
  const { coordinator, worker } = parts;
  let closing: Promise<void> | undefined;
  return {
    client,
    coordinator,
    worker,
    applied,
    isLeader: () => coordinator?.lease() !== undefined,
    on: combineHooks([coordinator, worker]),
    close: () => (closing ??= stopAll(parts)),
  };
}
