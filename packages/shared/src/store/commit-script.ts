import { LeaseLostError } from '../errors';
import type { FirePlan } from '../schedule/fire-plan';
import type { StoredSchedule } from '../schedule/stored-schedule';
import type { RunKind } from '../runs/run-id';
import type { RunJob } from '../runs/run-job';
import { handedOverData, runJobOptions, type JobRetention } from '../runs/bull-job';

/** A run to admit: its id, times and the BullMQ job that will carry it. */
export interface RunToAdmit {
  readonly runId: string;
  readonly kind: RunKind;
  readonly nominalMs: number;
  readonly fireAtMs: number;
  readonly job: RunJob;
}

/** One schedule's tick to commit: the schedule as read, its plan, and the runs to admit. */
export interface TickToCommit {
  readonly stored: StoredSchedule;
  readonly plan: FirePlan;
  readonly runs: readonly RunToAdmit[];
}

/** What happened to each run of a commit. */
export type AdmitOutcome = 'enqueued' | 'buffered' | 'skipped' | 'duplicate';

/** The result of a commit: done, or why not. */
export type CommitResult = { readonly status: 'done'; readonly outcomes: Readonly<Record<string, AdmitOutcome>> } | { readonly status: 'stale' | 'gone' };

/** A commit script's result for one schedule: a status code, then (when done) each run's outcome in order. */
export type CommitReply = [code: number, ...outcomes: AdmitOutcome[]];

const LEASE_LOST = 1;
const COMMIT_STATUS = { 0: 'done', 2: 'stale', 3: 'gone' } as const;

/**
 * The arguments one tick adds to `commitFires`: its JSON, then each run's job arguments
 * ({@link runJobArgs}). `nowMs` is the commit's time: a run due after it is handed over ahead.
 */
export function tickArgs(tick: TickToCommit, nowMs: number, retention: JobRetention): string[] {
  const { stored, plan, runs } = tick;
  const { spec } = stored;
  const header = JSON.stringify({
    scheduleId: spec.id,
    version: String(stored.version),
    last: String(plan.lastNominalMs),
    next: plan.next ? String(plan.next.nominalMs) : '',
    nextAt: plan.next ? String(plan.next.fireAtMs) : '',
    queue: spec.queue,
    task: spec.task,
    overlap: spec.overlap,
    maxInstances: spec.maxInstances,
    ranges: plan.recorded,
    backlog: plan.backlog,
    runs: runs.map(runHeader),
  });
  return [header, ...runs.flatMap((run) => runJobArgs(run, nowMs, retention))];
}

/**
 * A run as a commit script's JSON carries it: without its job's options and data, which follow on
 * their own, and its times as text, which the script writes as they are.
 */
export function runHeader(run: RunToAdmit): object {
  return { runId: run.runId, kind: run.kind, nominalMs: String(run.nominalMs), fireAtMs: String(run.fireAtMs), name: run.job.name, priority: run.job.opts.priority ?? 0 };
}

/**
 * A run's BullMQ job options and data as JSON text, two arguments the commit script stores as
 * they are (lua/includes/bullmq-job.lua): not escaped twice, and the user's data not re-encoded.
 */
export function runJobArgs(run: RunToAdmit, nowMs: number, retention: JobRetention): [optsJson: string, dataJson: string] {
  return [JSON.stringify(runJobOptions(run.job, run.runId, retention)), JSON.stringify(handedOverData(run.job, run.fireAtMs, nowMs))];
}

/** The scripts' reply for one schedule as a `CommitResult`, outcomes keyed by run id. @throws LeaseLostError */
export function commitResult(reply: CommitReply, runs: readonly RunToAdmit[], epoch: number): CommitResult {
  const [code, ...outcomes] = reply;
  if (code === LEASE_LOST) throw new LeaseLostError(epoch);
  const status = COMMIT_STATUS[code as keyof typeof COMMIT_STATUS] ?? 'stale';
  if (status !== 'done') return { status };
  const byRun: Record<string, AdmitOutcome> = {};
  runs.forEach((run, index) => {
    const outcome = outcomes[index];
    if (outcome !== undefined) byRun[run.runId] = outcome;
  });
  return { status, outcomes: byRun };
}
