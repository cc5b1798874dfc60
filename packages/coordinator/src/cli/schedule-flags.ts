import { InvalidTriggerError, ValidationError } from '@sundial/shared';
import type { Command } from 'commander';
import { addTriggerFlags, type TriggerFlags } from './trigger-flags';

/**
 * The flags of `sundial schedule add` and `schedule update` that describe a schedule, as
 * commander parses them: the trigger flags plus one flag per schedule field.
 */
export interface ScheduleFlags extends TriggerFlags {
  /** `--task NAME`: the task a worker runs. */
  task?: string;
  /** `--data JSON`: handed to every run. */
  data?: string;
  /** `--queue NAME`: the BullMQ queue of its runs. */
  queue?: string;
  /** `--misfire-grace DURATION|none`: how late a fire time may still run. */
  misfireGrace?: string;
  /** `--coalesce latest|earliest|all`. */
  coalesce?: string;
  /** `--catch-up-limit N`: with `--coalesce all`, the most fire times run at once. */
  catchUpLimit?: string;
  /** `--overlap allow|skip|buffer-one|cancel-previous`. */
  overlap?: string;
  /** `--max-instances N`: runs in flight at once. */
  maxInstances?: string;
  /** `--priority N`: BullMQ priority, 0 for none, 1 the highest. */
  priority?: string;
  /** `--timeout DURATION`: the time limit of each attempt. */
  timeout?: string;
  /** `--retry-attempts N`: attempts in total, the first included. */
  retryAttempts?: string;
  /** `--retry-backoff fixed|exponential`. */
  retryBackoff?: string;
  /** `--retry-delay DURATION`: the first delay between attempts. */
  retryDelay?: string;
  /** `--label key=value`, repeatable. @defaultValue `[]` */
  label?: string[];
}

/** Schedule fields (as validation errors name them) and the flags that set them. */
const FLAG_OF_FIELD: Readonly<Record<string, string>> = {
  task: '--task',
  data: '--data',
  queue: '--queue',
  misfireGrace: '--misfire-grace',
  coalesce: '--coalesce',
  catchUpLimit: '--catch-up-limit',
  overlap: '--overlap',
  maxInstances: '--max-instances',
  priority: '--priority',
  timeout: '--timeout',
  retry: '--retry-attempts',
  'retry.attempts': '--retry-attempts',
  'retry.backoff': '--retry-backoff',
  'retry.delay': '--retry-delay',
};

/**
 * A schedule validation error restated in terms of the flag that set the field, e.g.
 * `misfireGrace: ...` as `--misfire-grace: ...`. Trigger errors keep their trigger field
 * (`trigger.cron`), as `sundial next` reports them; other errors pass unchanged.
 */
export function inFlagTerms(error: unknown): unknown {
  if (!(error instanceof ValidationError) || error instanceof InvalidTriggerError) return error;
  const flag = FLAG_OF_FIELD[error.field];
  if (flag !== undefined) return new ValidationError(flag, error.problem, { cause: error });
  if (error.field.startsWith('labels.')) {
    return new ValidationError('--label', `${error.problem} (key ${JSON.stringify(error.field.slice('labels.'.length))})`, { cause: error });
  }
  return error;
}

function collect(value: string, previous: readonly string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/**
 * Declares the schedule flags (see {@link ScheduleFlags}) on a command, the trigger flags among
 * them. `--task` is declared by the caller: required on `add`, optional on `update`.
 */
export function addScheduleFlags(command: Command): Command {
  return addTriggerFlags(command)
    .option('--data <json>', 'JSON handed to every run (default: {})')
    .option('--queue <name>', 'BullMQ queue of its runs (default: "default")')
    .option('--misfire-grace <duration>', 'how late a fire time may still run; later ones are recorded as missed; "none" for no limit (default: none)')
    .option('--coalesce <policy>', 'several fire times due at once: latest, earliest or all (default: latest)')
    .option('--catch-up-limit <n>', 'with --coalesce all, the most fire times run at once (default: 100)')
    .option('--overlap <policy>', 'a fire time while --max-instances runs are in flight: allow, skip, buffer-one or cancel-previous (default: skip)')
    .option('--max-instances <n>', 'runs in flight at once (default: 1)')
    .option('--priority <n>', 'BullMQ priority: 0 for none, 1 the highest (default: 0)')
    .option('--timeout <duration>', "time limit of each attempt (default: the task's)")
    .option('--retry-attempts <n>', "attempts in total, the first included (default: the task's)")
    .option('--retry-backoff <kind>', 'fixed or exponential (default: exponential)')
    .option('--retry-delay <duration>', 'the first delay between attempts')
    .option('--label <key=value>', 'a label for filtering; repeat for several', collect);
}
