import type { SundialEvent, SundialEventHandler, SundialEventType } from '../events/event-types';
import type { Run } from '../runs/run-record';
import type { ScheduleInput } from '../schedule/schedule-spec';
import type { Schedule } from '../schedule/stored-schedule';
import type { ListRunsOptions } from './run-reader';
import type { AddResult, ClusterStatus, ConflictPolicy, ListSchedulesOptions } from './sundial-client';

/** Where a subscription starts reading the event stream. */
export interface SubscribeOptions {
  /**
   * `'now'` (the default): only events recorded from now on; `'start'`: the oldest event the
   * capped stream still holds; an event id: the events after it (resume after a restart with the
   * id of the last event handled).
   */
  readonly from?: 'now' | 'start' | string;
  /** Ends the subscription when aborted. */
  readonly signal?: AbortSignal;
  /**
   * Called once when `from` is an id older than what the capped stream still holds and events
   * after it were trimmed: reading starts at the oldest event kept, and those in between are lost
   * to this subscription. `after` is the id given, `firstId` the oldest id kept.
   */
  readonly onTrimmed?: (gap: { after: string; firstId: string }) => void;
}

/** A running subscription to the event stream. */
export interface EventSubscription {
  /** The id of the last event delivered (or `from`, before the first), to resume from later. */
  readonly lastId: () => string | undefined;
  /** Stops reading; resolves once the handler of the event in progress returned. */
  close(): Promise<void>;
  /** Settles when the subscription ends: resolves on `close()` or abort, rejects when reading fails for good. */
  readonly done: Promise<void>;
}

/** The namespace's durable event stream. */
export interface SundialEvents {
  /**
   * Calls `handler` for each event of the given types (`'*'` or an empty list for all), in stream
   * order, one at a time.
   *
   * @throws ValidationError naming `types` for an unknown type, or `from` for a malformed id
   */
  subscribe(types: readonly SundialEventType[] | '*', handler: SundialEventHandler, options?: SubscribeOptions): EventSubscription;
  /** The newest events of the given types, oldest first, at most `limit` (default 100). */
  recent(types: readonly SundialEventType[] | '*', options?: { limit?: number }): Promise<SundialEvent[]>;
}

/**
 * Every operation on schedules, runs and the cluster, as the CLI, the admin API and the
 * dashboard use them. `SundialClient` carries them out against Redis; `ApiClient` asks a
 * coordinator's admin API, and raises the same errors.
 */
export interface SundialOperations {
  add(input: ScheduleInput | unknown, options?: { onConflict?: ConflictPolicy }): Promise<AddResult>;
  update(id: string, changes: Partial<Omit<ScheduleInput, 'id' | 'paused'>>): Promise<Schedule>;
  pause(id: string): Promise<Schedule>;
  resume(id: string, options?: { catchUp?: 'none' | 'policy' }): Promise<Schedule>;
  remove(id: string): Promise<void>;
  get(id: string): Promise<Schedule>;
  list(options?: ListSchedulesOptions): Promise<{ schedules: Schedule[]; nextCursor: string | null }>;
  trigger(id: string, options?: { force?: boolean }): Promise<{ runId: string }>;
  backfill(id: string, range: { from: Date | number; to: Date | number; force?: boolean; limit?: number }): Promise<{ runIds: string[] }>;
  listRuns(options?: ListRunsOptions): Promise<Run[]>;
  getRun(runId: string): Promise<Run>;
  retryRun(runId: string): Promise<Run>;
  /**
   * Cancels a run that has not finished: a run waiting in its queue is removed, a running one is
   * told to abort. Its record becomes `cancelled` (reason `operator`).
   *
   * @throws NotFoundError; ValidationError naming `runId` when the run already finished
   */
  cancelRun(runId: string): Promise<Run>;
  status(): Promise<ClusterStatus>;
  readonly events: SundialEvents;
  close(): Promise<void>;
}
