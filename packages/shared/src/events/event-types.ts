/** Every type of event Sundial records in a namespace's event stream, grouped by what it is about. */
export const SUNDIAL_EVENT_TYPES = [
  'schedule.added',
  'schedule.updated',
  'schedule.removed',
  'schedule.paused',
  'schedule.resumed',
  'run.enqueued',
  'run.started',
  'run.succeeded',
  'run.failed',
  'run.retrying',
  'run.timed_out',
  'run.stalled',
  'run.missed',
  'run.skipped',
  'run.paused',
  'run.cancelled',
  'leader.elected',
  'leader.lost',
  'worker.joined',
  'worker.left',
] as const;

/** One of {@link SUNDIAL_EVENT_TYPES}. */
export type SundialEventType = (typeof SUNDIAL_EVENT_TYPES)[number];

/**
 * One event. Fields that do not apply to its type are absent.
 *
 * `id` is the event's id in the stream (`<ms>-<seq>`): pass the last one handled as `from` to
 * resume after it. Events delivered by in-process `on()` hooks that were not read from the
 * stream have no id.
 */
export interface SundialEvent {
  readonly id?: string;
  readonly type: SundialEventType;
  /** When it happened (cluster time), ISO-8601. */
  readonly time: string;
  readonly scheduleId?: string;
  readonly runId?: string;
  /** The run's nominal fire time, ISO-8601. */
  readonly fireTime?: string;
  /** The run's status after the event. */
  readonly status?: string;
  /** Why: `misfire-grace`, `overlap`, `paused`, `retried`, `expired`, ... */
  readonly reason?: string;
  /** How many fire times the event stands for (ranges of missed or skipped fires). */
  readonly count?: number;
  readonly attempt?: number;
  readonly task?: string;
  readonly error?: string;
  /** The worker that ran the attempt, or that joined or left. */
  readonly worker?: string;
  /** The coordinator that was elected or lost the lease. */
  readonly coordinator?: string;
  readonly epoch?: number;
}

/** Whether `value` names an event type. */
export function isSundialEventType(value: string): value is SundialEventType {
  return (SUNDIAL_EVENT_TYPES as readonly string[]).includes(value);
}

/** A handler of events. It may be async; the next event waits for it. */
export type SundialEventHandler = (event: SundialEvent) => void | Promise<void>;

/** Typed in-process hooks, as `Coordinator.on` and `Worker.on` offer them. */
export interface EventHooks {
  /**
   * Calls `handler` for each event of the given types (`'*'` for all) this process records.
   * Returns a function that removes the hook. A hook that throws is logged, never breaks the process.
   */
  on(types: SundialEventType | readonly SundialEventType[] | '*', handler: SundialEventHandler): () => void;
}
