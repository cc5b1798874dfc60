import { redisTimeMs } from '../clock';
import type { RedisConnection } from '../redis/redis-target';
import { ConflictError, ValidationError } from '../errors';
import { validateSchedule, type ScheduleSpec } from '../schedule/schedule-spec';
import { liveHeartbeats, type WorkerHeartbeat } from '../store/heartbeats';
import type { NamespaceKeys } from '../store/keys';
import { runScript } from '../store/scripts';
import type { ConflictPolicy } from './sundial-client';

/** What `addMany` did with one schedule. */
export type BulkAddOutcome = 'created' | 'replaced' | 'kept';

/** Options of `addMany`. */
export interface AddManyOptions {
  /**
   * What to do with an id that exists. `error` checks every id before writing and writes
   * nothing when one is taken (an id someone else creates while the batches are written fails
   * there, and the schedules written up to then stay); `replace` replaces existing schedules one
   * at a time, as `add` does (so it is slower than creating).
   *
   * @defaultValue 'error'
   */
  onConflict?: ConflictPolicy;
  /**
   * Schedules written per pipelined round trip to Redis; the coordinator is told of changes once per batch.
   *
   * @defaultValue 1000
   */
  batchSize?: number;
}

/** The result of `addMany`. */
export interface AddManyResult {
  readonly created: number;
  readonly replaced: number;
  readonly kept: number;
  /** The outcome of each schedule, by id. */
  readonly outcomes: ReadonlyMap<string, BulkAddOutcome>;
  /** Things worth telling the user, once per task (no live worker serves it) and once for finished triggers. */
  readonly warnings: readonly string[];
}

/** What the bulk path needs of the client that runs it. */
export interface BulkAddTarget {
  readonly redis: RedisConnection;
  readonly keys: NamespaceKeys;
  readonly maxDataBytes: number;
  readonly eventsMaxLength: number;
  /** The time schedules change at (one call per `addMany`). */
  now(): Promise<number>;
  /** Replaces one existing schedule the way `add` with `onConflict: 'replace'` does. */
  replace(spec: ScheduleSpec, paused: boolean): Promise<unknown>;
}

/** The most schedules of one batch. */
export const MAX_BULK_BATCH_SIZE = 10_000;
const DEFAULT_BATCH_SIZE = 1_000;
const CONFLICT_POLICIES: readonly ConflictPolicy[] = ['error', 'replace', 'keep'];
const FINISHED_IDS_SHOWN = 5;
const BATCHES_IN_FLIGHT = 2;
/** Schedules one `addSchedules` call writes at most: bounds how long one call holds Redis. */
const SCHEDULES_PER_CALL = 100;

/**
 * A validated schedule ready to write, kept compact (the spec as JSON only, the trigger dropped)
 * so that a million of them fit in memory and cost the garbage collector little.
 */
interface PreparedSchedule {
  readonly id: string;
  readonly task: string;
  readonly queue: string;
  readonly specJson: string;
  readonly paused: boolean;
  readonly nextNominalMs: number | undefined;
  readonly nextFireAtMs: number | undefined;
}

/**
 * Adds many schedules: validates them all first (nothing is written when one is bad), reads the
 * time once, and writes them with pipelined `addSchedules` calls, a batch at a time.
 *
 * @throws ValidationError naming the entry, e.g. `schedules[17].trigger.cron`; ConflictError when
 *   `onConflict` is `error` and an id exists
 */
export async function addSchedulesInBulk(target: BulkAddTarget, inputs: readonly unknown[], options: AddManyOptions = {}): Promise<AddManyResult> {
  const onConflict = options.onConflict ?? 'error';
  if (!CONFLICT_POLICIES.includes(onConflict)) throw new ValidationError('onConflict', `expected one of ${CONFLICT_POLICIES.join(', ')}, got ${JSON.stringify(onConflict)}`);
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_BULK_BATCH_SIZE) {
    throw new ValidationError('batchSize', `expected a whole number from 1 to ${MAX_BULK_BATCH_SIZE}, got ${String(options.batchSize)}`);
  }
  if (!Array.isArray(inputs)) throw new ValidationError('schedules', 'expected an array of schedules');

  const now = await target.now();
  const prepared = prepareAll(inputs, now, target.maxDataBytes);
  const existing = onConflict === 'keep' ? new Set<string>() : await existingIds(target, prepared, batchSize);
  if (onConflict === 'error') {
    const taken = prepared.find((schedule) => existing.has(schedule.id));
    if (taken) throw new ConflictError(taken.id);
  }
  const warnings = [...(await taskWarnings(target, prepared)), ...finishedWarnings(prepared)];

  const outcomes = new Map<string, BulkAddOutcome>();
  const toReplace: PreparedSchedule[] = [];
  const toWrite = prepared.filter((schedule) => {
    if (!existing.has(schedule.id)) return true;
    toReplace.push(schedule);
    return false;
  });
  const record = (batch: readonly PreparedSchedule[], results: readonly string[]): void => {
    batch.forEach((schedule, index) => {
      const outcome = results[index] as string;
      // An id someone else created since the check above: replaced after the batches, or an
      // error (the schedules written up to then stay).
      if (outcome === 'conflict' && onConflict === 'replace') toReplace.push(schedule);
      else if (outcome === 'conflict') throw new ConflictError(schedule.id);
      else outcomes.set(schedule.id, outcome as BulkAddOutcome);
    });
  };
  // Two batches in flight: the next one is encoded and sent while Redis runs the previous one.
  const inFlight: Promise<void>[] = [];
  for (let start = 0; start < toWrite.length; start += batchSize) {
    const batch = toWrite.slice(start, start + batchSize);
    const written = writeBatch(target, batch, onConflict === 'keep' ? 'keep' : 'error', now).then((results) => record(batch, results));
    // Handled when awaited below; this keeps a failure from counting as unhandled meanwhile.
    written.catch(() => undefined);
    inFlight.push(written);
    if (inFlight.length >= BATCHES_IN_FLIGHT) await inFlight.shift();
  }
  for (const written of inFlight) await written;
  for (const schedule of toReplace) {
    await target.replace(JSON.parse(schedule.specJson) as ScheduleSpec, schedule.paused);
    outcomes.set(schedule.id, 'replaced');
  }

  const counts = { created: 0, replaced: 0, kept: 0 };
  for (const outcome of outcomes.values()) counts[outcome] += 1;
  return { ...counts, outcomes, warnings };
}

function prepareAll(inputs: readonly unknown[], now: number, maxDataBytes: number): PreparedSchedule[] {
  const firstIndexOf = new Map<string, number>();
  return inputs.map((input, index) => {
    const path = `schedules[${index}]`;
    const { spec, trigger, paused } = validateSchedule(input, { maxDataBytes, path });
    const earlier = firstIndexOf.get(spec.id);
    if (earlier !== undefined) throw new ValidationError(`${path}.id`, `"${spec.id}" is also the id of schedules[${earlier}]; ids must be unique`);
    firstIndexOf.set(spec.id, index);
    const next = trigger.next(now, spec.id);
    return { id: spec.id, task: spec.task, queue: spec.queue, specJson: JSON.stringify(spec), paused, nextNominalMs: next?.nominalMs, nextFireAtMs: next?.fireAtMs };
  });
}

/** The ids among `prepared` that exist, one `ZMSCORE` of the id index per batch. */
async function existingIds(target: BulkAddTarget, prepared: readonly PreparedSchedule[], batchSize: number): Promise<Set<string>> {
  const existing = new Set<string>();
  for (let start = 0; start < prepared.length; start += batchSize) {
    const ids = prepared.slice(start, start + batchSize).map((schedule) => schedule.id);
    const scores = await target.redis.zmscore(target.keys.ids, ...ids);
    scores.forEach((score, index) => {
      if (score !== null) existing.add(ids[index] as string);
    });
  }
  return existing;
}

async function taskWarnings(target: BulkAddTarget, prepared: readonly PreparedSchedule[]): Promise<string[]> {
  const tasks = new Set(prepared.map((schedule) => schedule.task));
  if (tasks.size === 0) return [];
  const now = await redisTimeMs(target.redis, target.keys.leader);
  const workers = liveHeartbeats<WorkerHeartbeat>(await target.redis.hgetall(target.keys.workers), now);
  const served = new Set(workers.flatMap((worker) => worker.tasks));
  return [...tasks].filter((task) => !served.has(task)).map((task) => `no live worker serves task "${task}" yet; its runs wait in the queue until one does`);
}

function finishedWarnings(prepared: readonly PreparedSchedule[]): string[] {
  const finished = prepared.filter((schedule) => schedule.nextNominalMs === undefined).map((schedule) => `"${schedule.id}"`);
  if (finished.length === 0) return [];
  const shown = finished.slice(0, FINISHED_IDS_SHOWN).join(', ') + (finished.length > FINISHED_IDS_SHOWN ? `, and ${finished.length - FINISHED_IDS_SHOWN} more` : '');
  return [`${finished.length} schedule(s) have a trigger with no fire time after now (${shown}); they are finished and will never fire`];
}

/**
 * Writes one batch, {@link SCHEDULES_PER_CALL} schedules to an `addSchedules` call with the calls
 * pipelined, without per-schedule change notices, then sends one notice.
 */
async function writeBatch(target: BulkAddTarget, batch: readonly PreparedSchedule[], policy: 'error' | 'keep', now: number): Promise<string[]> {
  const { redis, keys } = target;
  const calls: Promise<string[]>[] = [];
  for (let start = 0; start < batch.length; start += SCHEDULES_PER_CALL) {
    const args: (string | number)[] = [policy, now, target.eventsMaxLength, keys.base];
    for (const schedule of batch.slice(start, start + SCHEDULES_PER_CALL)) {
      args.push(schedule.id, schedule.specJson, schedule.paused ? '1' : '0', now, schedule.nextNominalMs ?? '', schedule.nextFireAtMs ?? '', schedule.task, schedule.queue);
    }
    calls.push(runScript<string[]>(redis, 'addSchedules', [keys.ids, keys.due, keys.events], args));
  }
  const results = (await Promise.all(calls)).flat();
  await redis.publish(keys.changesChannel, batch[batch.length - 1]?.id ?? '');
  return results;
}
