import { InvalidTriggerError } from '@sundial/shared';
import type { Command } from 'commander';

/**
 * The trigger flags of `sundial next` and `sundial schedule add`, as commander parses them:
 * `--cron`, `--every`, `--at` or `--trigger` (exactly one), plus `--tz`, `--start`, `--end`
 * and `--jitter`.
 */
export interface TriggerFlags {
  /** `--cron EXPR`: a cron expression. */
  cron?: string;
  /** `--every DURATION`: an interval such as `15m`. */
  every?: string;
  /** `--at ISO`: a single fire time. */
  at?: string;
  /** `--trigger JSON`: a whole trigger in the JSON form, e.g. a calendar, `and` or `or` trigger. */
  trigger?: string;
  /** `--tz ZONE` (or `--timezone`): the IANA zone of the trigger. */
  timezone?: string;
  /** `--start ISO`: no fire time before this. */
  start?: string;
  /** `--end ISO`: no fire time after this. */
  end?: string;
  /** `--jitter DURATION`: delay each fire time by a deterministic amount below this. */
  jitter?: string;
}

/** The flags that say what kind of trigger it is, each with the JSON field it sets. */
const KIND_FLAGS = [
  ['--cron', 'cron'],
  ['--every', 'every'],
  ['--at', 'at'],
  ['--trigger', 'trigger'],
] as const satisfies ReadonlyArray<readonly [string, keyof TriggerFlags]>;

/** The flags that add a field to any trigger, each with the JSON field it sets. */
const FIELD_FLAGS = [
  ['--tz', 'timezone'],
  ['--start', 'start'],
  ['--end', 'end'],
  ['--jitter', 'jitter'],
] as const satisfies ReadonlyArray<readonly [string, keyof TriggerFlags]>;

const KIND_FLAG_LIST = KIND_FLAGS.map(([flag]) => flag).join(', ');

function parseTriggerJson(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InvalidTriggerError('--trigger', `malformed JSON (${(error as Error).message})`, { cause: error });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    const got = Array.isArray(value) ? 'an array' : JSON.stringify(value);
    throw new InvalidTriggerError('--trigger', `expected a JSON object such as {"calendar": {"months": 1, "time": "09:30"}}, got ${got}`);
  }
  return value as Record<string, unknown>;
}

/**
 * Builds a trigger in the JSON form from command-line flags. It checks only what the flags
 * themselves can get wrong (no kind flag, two kind flags, malformed `--trigger` JSON, a field set
 * both in `--trigger` and by a flag); the trigger engine validates the result and names the
 * offending trigger field.
 *
 * @example
 * triggerFromFlags({ cron: '30 2 * * *', timezone: 'America/New_York' })
 * // → { cron: '30 2 * * *', timezone: 'America/New_York' }
 *
 * @throws InvalidTriggerError naming the flag
 */
export function triggerFromFlags(flags: TriggerFlags): Record<string, unknown> {
  const given = KIND_FLAGS.filter(([, key]) => flags[key] !== undefined);
  const [only] = given;
  if (given.length !== 1 || only === undefined) {
    const got = given.length === 0 ? 'none' : given.map(([flag]) => flag).join(' and ');
    throw new InvalidTriggerError('trigger', `expected exactly one of ${KIND_FLAG_LIST}; got ${got}`);
  }
  const [, kind] = only;
  const value = flags[kind] ?? '';
  const trigger: Record<string, unknown> = kind === 'trigger' ? parseTriggerJson(value) : { [kind]: value };
  for (const [flag, key] of FIELD_FLAGS) {
    const fieldValue = flags[key];
    if (fieldValue === undefined) continue;
    if (key in trigger) {
      throw new InvalidTriggerError(flag, `the --trigger JSON already sets "${key}"; set it in one place`);
    }
    trigger[key] = fieldValue;
  }
  return trigger;
}

/** Declares the trigger flags (see {@link TriggerFlags}) on a command. */
export function addTriggerFlags(command: Command): Command {
  return command
    .option('--cron <expr>', 'cron expression: 5 fields, 6 with leading seconds, or a macro such as @daily')
    .option('--every <duration>', 'fixed interval, e.g. 90s, 15m, 1h30m')
    .option('--at <iso>', 'a single fire time, e.g. 2027-01-01T09:00:00Z')
    .option('--trigger <json>', 'the whole trigger as JSON, e.g. {"calendar":{"months":1,"time":"09:30"}}')
    .option('--tz, --timezone <zone>', 'IANA time zone of the trigger (default: UTC)')
    .option('--start <iso>', 'no fire time before this instant')
    .option('--end <iso>', 'no fire time after this instant')
    .option('--jitter <duration>', 'delay each fire time by a deterministic amount below this');
}
