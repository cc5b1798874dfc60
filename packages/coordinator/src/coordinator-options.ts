import { DEFAULT_JOB_RETENTION, ValidationError, resolveClientOptions, type JobRetention, type ResolvedClientOptions, type SundialClientOptions } from '@sundial/shared';
import { resolveApiAuth, type ApiAuth, type ApiOptions } from './api/auth';

/** Options of `startCoordinator`; all optional. */
export interface CoordinatorOptions extends SundialClientOptions {
  /** Leader lease duration. @defaultValue 5,000 ms */
  leaseMs?: number;
  /** How often the leader renews its lease and standbys contend. @defaultValue 1,000 ms */
  renewEveryMs?: number;
  /** Schedules taken from the due set at once. @defaultValue 500 */
  batchSize?: number;
  /** The longest the fire loop sleeps. @defaultValue 1,000 ms */
  maxSleepMs?: number;
  /** Due fire times handled per schedule per tick. @defaultValue 10,000 */
  maxFiresPerTick?: number;
  /**
   * Commit fire times this far ahead (state, run record, events) and hand their jobs to BullMQ at
   * once, carrying their time; workers hold each until then (see the worker's `prefetch`), so only
   * starting the handlers is left when many fire at once. The price: the
   * overlap policy and max instances are judged when a run is committed, up to this much early, and
   * pausing, changing or removing a schedule no longer stops fire times committed already.
   * At most 60 s.
   * @defaultValue 0 (off): every fire is decided at its time
   */
  lookaheadMs?: number;
  /** How long BullMQ keeps finished jobs: also the window in which a re-added run is recognised. */
  jobRetention?: Partial<JobRetention>;
  /** How often the clock offset to Redis is measured. @defaultValue 10,000 ms */
  clockSyncEveryMs?: number;
  /** Clock offsets beyond this are logged as warnings. @defaultValue 1,000 ms */
  clockSkewWarnMs?: number;
  /** How often the coordinator publishes its heartbeat. @defaultValue 2,000 ms */
  heartbeatEveryMs?: number;
  /** The port on which it serves `/metrics`, `/healthz` and `/readyz` (0 picks a free one). @defaultValue none: no HTTP server */
  port?: number;
  /** The admin API served on `port`: its bearer tokens. @defaultValue tokens from the environment (see `resolveApiAuth`); none: loopback requests only */
  api?: ApiOptions;
  /**
   * Also count fires per schedule (`sundial_schedule_fires_total{schedule,outcome}`): one series per
   * schedule and outcome, so only for namespaces with a bounded number of schedules.
   * @defaultValue false
   */
  perScheduleMetrics?: boolean;
}

/** `CoordinatorOptions` with every default applied. */
export interface ResolvedCoordinatorOptions extends ResolvedClientOptions {
  readonly leaseMs: number;
  readonly renewEveryMs: number;
  readonly batchSize: number;
  readonly maxSleepMs: number;
  readonly maxFiresPerTick: number;
  readonly lookaheadMs: number;
  readonly jobRetention: JobRetention;
  readonly clockSyncEveryMs: number;
  readonly clockSkewWarnMs: number;
  readonly heartbeatEveryMs: number;
  readonly port: number | undefined;
  /** Who may call the admin API. */
  readonly api: ApiAuth;
  readonly perScheduleMetrics: boolean;
}

/** The coordinator's defaults, in one place. */
export const COORDINATOR_DEFAULTS = {
  leaseMs: 5_000,
  renewEveryMs: 1_000,
  batchSize: 500,
  maxSleepMs: 1_000,
  maxFiresPerTick: 10_000,
  lookaheadMs: 0,
  jobRetention: DEFAULT_JOB_RETENTION,
  clockSyncEveryMs: 10_000,
  clockSkewWarnMs: 1_000,
  heartbeatEveryMs: 2_000,
  perScheduleMetrics: false,
} as const;

/** The longest lookahead: fire times further ahead would be decided too early to be useful. */
const MAX_LOOKAHEAD_MS = 60_000;

/** Finished jobs are kept for at least this many lease durations. */
const MIN_RETENTION_LEASES = 12;

/** Applies the defaults and checks the values; errors name the option. */
export function resolveCoordinatorOptions(options: CoordinatorOptions = {}, env: NodeJS.ProcessEnv = process.env): ResolvedCoordinatorOptions {
  const positive = (name: keyof typeof COORDINATOR_DEFAULTS, value: number | undefined, fallback: number) => {
    const resolved = value ?? fallback;
    if (!Number.isInteger(resolved) || resolved < 1) throw new ValidationError(name, `expected a whole number of at least 1, got ${String(value)}`);
    return resolved;
  };
  const maxSleepMs = positive('maxSleepMs', options.maxSleepMs, COORDINATOR_DEFAULTS.maxSleepMs);
  const perScheduleMetrics = options.perScheduleMetrics ?? COORDINATOR_DEFAULTS.perScheduleMetrics;
  if (typeof perScheduleMetrics !== 'boolean') throw new ValidationError('perScheduleMetrics', `expected true or false, got ${JSON.stringify(perScheduleMetrics)}`);
  const resolved: ResolvedCoordinatorOptions = {
    ...resolveClientOptions(options, env),
    leaseMs: positive('leaseMs', options.leaseMs, COORDINATOR_DEFAULTS.leaseMs),
    renewEveryMs: positive('renewEveryMs', options.renewEveryMs, COORDINATOR_DEFAULTS.renewEveryMs),
    batchSize: positive('batchSize', options.batchSize, COORDINATOR_DEFAULTS.batchSize),
    maxSleepMs,
    maxFiresPerTick: positive('maxFiresPerTick', options.maxFiresPerTick, COORDINATOR_DEFAULTS.maxFiresPerTick),
    lookaheadMs: options.lookaheadMs ?? COORDINATOR_DEFAULTS.lookaheadMs,
    jobRetention: {
      completedSeconds: positive('jobRetention', options.jobRetention?.completedSeconds, COORDINATOR_DEFAULTS.jobRetention.completedSeconds),
      failedSeconds: positive('jobRetention', options.jobRetention?.failedSeconds, COORDINATOR_DEFAULTS.jobRetention.failedSeconds),
    },
    clockSyncEveryMs: positive('clockSyncEveryMs', options.clockSyncEveryMs, COORDINATOR_DEFAULTS.clockSyncEveryMs),
    clockSkewWarnMs: positive('clockSkewWarnMs', options.clockSkewWarnMs, COORDINATOR_DEFAULTS.clockSkewWarnMs),
    heartbeatEveryMs: positive('heartbeatEveryMs', options.heartbeatEveryMs, COORDINATOR_DEFAULTS.heartbeatEveryMs),
    port: options.port,
    api: resolveApiAuth(env, options.api),
    perScheduleMetrics,
  };
  const { port, lookaheadMs } = resolved;
  if (!Number.isInteger(lookaheadMs) || lookaheadMs < 0 || lookaheadMs > MAX_LOOKAHEAD_MS) {
    throw new ValidationError('lookaheadMs', `expected a whole number of milliseconds from 0 to ${MAX_LOOKAHEAD_MS}, got ${String(options.lookaheadMs)}`);
  }
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65_535)) throw new ValidationError('port', `expected a port number from 0 to 65535, got ${String(port)}`);
  // A re-added run is recognised only while BullMQ keeps its finished job (docs/adr/0002), and a
  // re-add happens at most a takeover (about a lease) after the first add.
  const minimumRetentionSeconds = Math.ceil((resolved.leaseMs * MIN_RETENTION_LEASES) / 1_000);
  if (Math.min(resolved.jobRetention.completedSeconds, resolved.jobRetention.failedSeconds) < minimumRetentionSeconds) {
    throw new ValidationError('jobRetention', `must keep finished jobs at least ${minimumRetentionSeconds} s (${MIN_RETENTION_LEASES} leases), so a run re-added after a failover is recognised`);
  }
  if (resolved.renewEveryMs * 2 >= resolved.leaseMs) {
    throw new ValidationError('renewEveryMs', `must be well below the lease (${resolved.leaseMs} ms): renew at least twice per lease`);
  }
  return resolved;
}
