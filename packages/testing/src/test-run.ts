import { FINAL_RUN_STATUSES, TimeZone, parseRun, type NamespaceKeys, type RunKind, type RunStatus, type RedisConnection, type SundialClient } from '@sundial/shared';

/**
 * A run as a test environment reports it: one fire time of a schedule (or a range of fire times
 * recorded together as missed, skipped or paused) with its outcome. Times are virtual.
 */
export interface TestRun {
  readonly runId: string;
  readonly scheduleId: string;
  /** The task it runs; empty when its record does not say (a range of fire times never run). */
  readonly task: string;
  /** `scheduled`, `manual` (trigger now) or `backfill`. */
  readonly kind: RunKind;
  /** The nominal fire time, ISO-8601 UTC. */
  readonly fireTime: string;
  /** The nominal fire time as wall time in the environment's `timezone`, e.g. `"2026-03-08T03:00:00"`. */
  readonly localFireTime: string;
  /** `succeeded`, `failed`, `missed`, `skipped`, `paused`, `cancelled`; `enqueued` or `running` while in flight. */
  readonly status: RunStatus;
  /** Why it did not run (`misfire-grace`, `coalesced`, `overlap`, `paused`, ...), or a note on a run in flight (`buffered`). */
  readonly reason: string | null;
  /** How many fire times the record stands for (ranges of missed, skipped or paused fires). */
  readonly count: number;
  /** Attempts started. */
  readonly attempts: number;
  /** The handler's result (JSON), for a succeeded run; else null. */
  readonly result: unknown;
  /** The last attempt's error (`<name>: <message>`), for a failed run or one waiting for a retry; else null. */
  readonly error: string | null;
}

/** Orders runs by nominal fire time, then run id. */
export function byFireTime(a: TestRun, b: TestRun): number {
  return a.fireTime.localeCompare(b.fireTime) || a.runId.localeCompare(b.runId);
}

/** Reads every run record of a namespace (in-flight runs with the state of their BullMQ jobs), oldest fire time first. */
export async function readTestRuns(redis: RedisConnection, keys: NamespaceKeys, client: SundialClient, zone: TimeZone, scheduleId?: string): Promise<TestRun[]> {
  const runIds = await redis.zrange(scheduleId === undefined ? keys.runs : keys.scheduleRuns(scheduleId), 0, -1);
  if (runIds.length === 0) return [];
  const pipeline = redis.pipeline();
  for (const runId of runIds) pipeline.hgetall(keys.run(runId));
  const hashes = ((await pipeline.exec()) ?? []).map(([, hash]) => (hash ?? {}) as Record<string, string>);
  const runs = await Promise.all(
    hashes.map(async (hash) => {
      const recorded = parseRun(hash);
      if (!recorded) return undefined;
      const run = FINAL_RUN_STATUSES.includes(recorded.status) ? recorded : await client.getRun(recorded.runId).catch(() => recorded);
      const testRun: TestRun = {
        runId: run.runId,
        scheduleId: run.scheduleId,
        task: hash.task ?? '',
        kind: run.kind,
        fireTime: run.fireTime,
        localFireTime: new Date(zone.wallTimeAt(Date.parse(run.fireTime))).toISOString().slice(0, 19),
        status: run.status,
        reason: run.reason,
        count: run.count,
        attempts: run.attempts,
        result: run.result,
        error: run.error,
      };
      return testRun;
    }),
  );
  return runs.filter((run): run is TestRun => run !== undefined).sort(byFireTime);
}

/** What distinguishes one state of a run from another, to tell which runs an advance changed. */
export function runSignature(run: TestRun): string {
  return JSON.stringify([run.status, run.reason, run.attempts, run.count, run.error, run.result]);
}
