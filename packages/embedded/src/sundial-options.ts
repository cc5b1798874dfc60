import { resolveCoordinatorOptions, validateScheduleEntries, ValidationErrorList, type CoordinatorOptions, type DesiredSchedule } from '@sundial/coordinator';
import { ValidationError, createProcessLogger, resolveClientOptions, type RedisConnection, type RedisTarget, type ScheduleInput } from '@sundial/shared';
import { resolveWorkerOptions, type TaskDefinition, type WorkerOptions } from '@sundial/worker';
import type { Logger } from 'pino';

/** The roles a process can play: firing schedules (one leader at a time) and running tasks. */
export const SUNDIAL_ROLES = ['coordinator', 'worker'] as const;

/** One of {@link SUNDIAL_ROLES}. */
export type SundialRole = (typeof SUNDIAL_ROLES)[number];

/** Coordinator options `startSundial` passes on: all but the connection and namespace, which it shares. */
export type EmbeddedCoordinatorOptions = Omit<CoordinatorOptions, 'connection' | 'namespace'>;

/** Worker options `startSundial` passes on: all but the tasks, connection, namespace and logger, which it shares. */
export type EmbeddedWorkerOptions = Omit<WorkerOptions, 'tasks' | 'connection' | 'namespace' | 'logger'>;

/** A schedule as `startSundial` declares it: the input of `client.add`, `paused` included. */
export type DeclaredSchedule = ScheduleInput;

/** Options of `startSundial`. `tasks` is required when the process runs the worker role. */
export interface SundialOptions {
  /**
   * A Redis URL, a `RedisTarget` (standalone, Sentinel or Cluster), or an ioredis connection
   * (`Redis` or `Cluster`) `startSundial` uses without closing it.
   *
   * @defaultValue from the environment (`resolveRedisTarget`: `REDIS_URL`, `REDIS_SENTINELS`,
   *   `REDIS_CLUSTER_NODES`), else `redis://127.0.0.1:6379`
   */
  redis?: string | RedisTarget | RedisConnection;
  /** The namespace of the schedules. @defaultValue `SUNDIAL_NAMESPACE`, else `"default"` */
  namespace?: string;
  /** The tasks this process runs (definitions, `tasksOf(Class)`, or a `TaskRegistry`); names must be unique. */
  tasks?: Iterable<TaskDefinition<never, unknown>>;
  /**
   * The schedules the app declares, applied at start as `sundial apply` applies a file: missing
   * ones are added, changed ones updated, and those whose entry sets `paused` paused or resumed.
   * Left out, the schedules in Redis are left alone.
   */
  schedules?: readonly DeclaredSchedule[];
  /** Also remove the schedules of the namespace that are not in `schedules`. @defaultValue false */
  prune?: boolean;
  /**
   * What this process does: `coordinator` contends for leadership and, while it leads, fires due
   * schedules; `worker` runs the tasks. A web app may run only the coordinator role, say, and
   * leave the tasks to `sundial-worker` processes.
   *
   * @defaultValue both: `['coordinator', 'worker']`
   */
  roles?: readonly SundialRole[];
  /** Coordinator settings (lease, admin API `port`, ...). */
  coordinator?: EmbeddedCoordinatorOptions;
  /** Worker settings (`concurrency`, `shutdownGraceMs`, `port`, ...). */
  worker?: EmbeddedWorkerOptions;
  /** Where both roles log. @defaultValue pino JSON lines on stderr at `SUNDIAL_LOG_LEVEL` (else `info`) */
  logger?: Logger;
}

/** `SundialOptions` checked, with every default applied. */
export interface ResolvedSundialOptions {
  readonly roles: ReadonlySet<SundialRole>;
  readonly connection: string | RedisTarget | RedisConnection;
  readonly namespace: string;
  /** The validated schedules; undefined when none were declared. */
  readonly schedules: readonly DesiredSchedule[] | undefined;
  readonly prune: boolean;
  readonly coordinator: EmbeddedCoordinatorOptions;
  readonly worker: EmbeddedWorkerOptions;
  /** The tasks, when the worker role runs. */
  readonly tasks: Iterable<TaskDefinition<never, unknown>> | undefined;
  /** The names of the tasks this process serves, empty without the worker role. */
  readonly taskNames: readonly string[];
  readonly logger: Logger;
}

function resolveRoles(roles: unknown): ReadonlySet<SundialRole> {
  if (roles === undefined) return new Set(SUNDIAL_ROLES);
  if (!Array.isArray(roles) || roles.length === 0) throw new ValidationError('roles', `expected a non-empty list of ${SUNDIAL_ROLES.map((role) => `"${role}"`).join(' and ')}, got ${JSON.stringify(roles)}`);
  roles.forEach((role: unknown, index) => {
    if (!(SUNDIAL_ROLES as readonly unknown[]).includes(role)) throw new ValidationError(`roles[${index}]`, `expected "coordinator" or "worker", got ${JSON.stringify(role)}`);
  });
  return new Set(roles as SundialRole[]);
}

/** Runs a role's own option check, naming the field under the role's key (`worker.concurrency`) when it is one of the role's options. */
function checkRoleOptions(key: 'coordinator' | 'worker', given: object | undefined, check: () => unknown): void {
  try {
    check();
  } catch (error) {
    const [first = ''] = error instanceof ValidationError ? error.field.split(/[.[]/) : [];
    if (!(error instanceof ValidationError) || given === undefined || !Object.hasOwn(given, first)) throw error;
    throw new ValidationError(`${key}.${error.field}`, error.problem, { cause: error });
  }
}

function resolveSchedules(schedules: unknown, maxDataBytes: number): DesiredSchedule[] | undefined {
  if (schedules === undefined) return undefined;
  if (!Array.isArray(schedules)) throw new ValidationError('schedules', `expected an array of schedules, got ${JSON.stringify(schedules)}`);
  try {
    return validateScheduleEntries(schedules, { maxDataBytes });
  } catch (error) {
    // One mistake is reported as itself, so its `field` names it (`schedules[2].trigger.cron`).
    if (error instanceof ValidationErrorList && error.errors.length === 1 && error.errors[0]) throw error.errors[0];
    throw error;
  }
}

/**
 * Checks every option of `startSundial` and applies the defaults, before anything connects or
 * changes.
 *
 * @throws ValidationError naming the option (`roles[1]`, `schedules[2].trigger.cron`,
 *   `worker.concurrency`, ...), a `ValidationErrorList` for several bad schedules, or a
 *   `TaskDefinitionError` naming the task and its field
 */
export function resolveSundialOptions(options: SundialOptions, env: NodeJS.ProcessEnv = process.env): ResolvedSundialOptions {
  if (typeof options !== 'object' || options === null) throw new ValidationError('tasks', 'expected options with at least { tasks }');
  const roles = resolveRoles(options.roles);
  const client = resolveClientOptions({ ...(options.redis !== undefined && { connection: options.redis }), ...(options.namespace !== undefined && { namespace: options.namespace }) }, env);
  const { connection, namespace } = client;
  const coordinator = options.coordinator ?? {};
  const worker = options.worker ?? {};
  let maxDataBytes = client.maxDataBytes;
  checkRoleOptions('coordinator', options.coordinator, () => {
    maxDataBytes = resolveCoordinatorOptions({ ...coordinator, connection, namespace }, env).maxDataBytes;
  });
  let taskNames: string[] = [];
  if (roles.has('worker')) {
    if (options.tasks === undefined) throw new ValidationError('tasks', 'expected the tasks this process runs (the worker role needs them), or roles: ["coordinator"]');
    checkRoleOptions('worker', options.worker, () => {
      taskNames = resolveWorkerOptions({ ...worker, tasks: options.tasks ?? [], connection, namespace }, env).tasks.names();
    });
  }
  const schedules = resolveSchedules(options.schedules, maxDataBytes);
  const prune = options.prune ?? false;
  if (typeof prune !== 'boolean') throw new ValidationError('prune', `expected true or false, got ${JSON.stringify(prune)}`);
  if (prune && schedules === undefined) throw new ValidationError('prune', 'removes the schedules that are not in `schedules`: declare them (an empty list removes every schedule)');
  return {
    roles,
    connection,
    namespace,
    schedules,
    prune,
    coordinator,
    worker,
    tasks: roles.has('worker') ? options.tasks : undefined,
    taskNames,
    logger: options.logger ?? createProcessLogger({ name: 'sundial' }),
  };
}
