import { ValidationError } from '@sundial/shared';
import type { CoordinatorOptions } from '../coordinator-options';
import { parseDurationFlag } from './flag-values';

/** The flags of `sundial coordinator` that tune it, as commander parses them. */
export interface CoordinatorFlags {
  /** `--lease DURATION`: the leader lease. */
  lease?: string;
  /** `--renew-every DURATION`: how often the leader renews its lease and standbys contend. */
  renewEvery?: string;
  /** `--max-sleep DURATION`: the longest the fire loop sleeps. */
  maxSleep?: string;
  /** `--lookahead DURATION`: commit fire times this far ahead and hand their jobs over at once, held by workers until their time. */
  lookahead?: string;
  /** `--job-retention-completed DURATION`: how long BullMQ keeps completed jobs (whole seconds). */
  jobRetentionCompleted?: string;
  /** `--job-retention-failed DURATION`: how long BullMQ keeps failed jobs (whole seconds). */
  jobRetentionFailed?: string;
  /** `--port N`: serve `/metrics`, `/healthz` and `/readyz` on this port (0: any free port). @defaultValue {@link DEFAULT_COORDINATOR_PORT} */
  port?: string;
  /** `--per-schedule-metrics`: also count fires per schedule. */
  perScheduleMetrics?: boolean;
}

/** The port `sundial coordinator` serves on without `--port`. */
export const DEFAULT_COORDINATOR_PORT = 8080;

const SECOND_MS = 1_000;

function parseSecondsFlag(value: string, flag: string): number {
  const ms = parseDurationFlag(value, flag, SECOND_MS);
  if (ms % SECOND_MS !== 0) throw new ValidationError(flag, `expected whole seconds, e.g. "1d" or "90s", got ${JSON.stringify(value)}`);
  return ms / SECOND_MS;
}

/** Coordinator option names, as its validation names them, and the flags that set them. */
const FLAG_OF_OPTION: Readonly<Record<string, string>> = {
  leaseMs: '--lease',
  renewEveryMs: '--renew-every',
  maxSleepMs: '--max-sleep',
  lookaheadMs: '--lookahead',
  port: '--port',
};

/**
 * The coordinator options the flags give; those not given keep the coordinator's defaults.
 *
 * @throws ValidationError naming the flag
 */
export function coordinatorOptionsFromFlags(flags: CoordinatorFlags): CoordinatorOptions {
  const options: CoordinatorOptions = {};
  if (flags.lease !== undefined) options.leaseMs = parseDurationFlag(flags.lease, '--lease', 1);
  if (flags.renewEvery !== undefined) options.renewEveryMs = parseDurationFlag(flags.renewEvery, '--renew-every', 1);
  if (flags.maxSleep !== undefined) options.maxSleepMs = parseDurationFlag(flags.maxSleep, '--max-sleep', 1);
  if (flags.lookahead !== undefined) options.lookaheadMs = parseDurationFlag(flags.lookahead, '--lookahead', 0);
  if (flags.port !== undefined) {
    const text = flags.port.trim();
    const port = /^\d+$/.test(text) ? Number(text) : Number.NaN;
    if (!Number.isSafeInteger(port) || port > 65_535) throw new ValidationError('--port', `expected a port number from 0 to 65535, got ${JSON.stringify(flags.port)}`);
    options.port = port;
  } else {
    options.port = DEFAULT_COORDINATOR_PORT;
  }
  if (flags.perScheduleMetrics) options.perScheduleMetrics = true;
  const { jobRetentionCompleted, jobRetentionFailed } = flags;
  if (jobRetentionCompleted !== undefined || jobRetentionFailed !== undefined) {
    options.jobRetention = {
      ...(jobRetentionCompleted !== undefined && { completedSeconds: parseSecondsFlag(jobRetentionCompleted, '--job-retention-completed') }),
      ...(jobRetentionFailed !== undefined && { failedSeconds: parseSecondsFlag(jobRetentionFailed, '--job-retention-failed') }),
    };
  }
  return options;
}

/** A coordinator option error restated in terms of its flag, e.g. `renewEveryMs: ...` as `--renew-every: ...`. */
export function coordinatorErrorInFlagTerms(error: unknown): unknown {
  if (!(error instanceof ValidationError)) return error;
  const flag = FLAG_OF_OPTION[error.field];
  return flag === undefined ? error : new ValidationError(flag, error.problem, { cause: error });
}
