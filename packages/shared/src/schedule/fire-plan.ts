import type { CompiledTrigger, FireTime } from '../triggers/compiled-trigger';
import type { CoalescePolicy } from './schedule-spec';

/** Consecutive fire times recorded together, rather than enqueued. */
export interface FireRange {
  /** `missed`: later than the misfire grace. `skipped`: dropped by the coalesce policy or the catch-up limit. */
  readonly status: 'missed' | 'skipped';
  readonly reason: 'misfire-grace' | 'coalesced' | 'catch-up-limit';
  readonly firstNominalMs: number;
  readonly lastNominalMs: number;
  readonly count: number;
}

/** What the coordinator does with a schedule's due fire times at one tick. */
export interface FirePlan {
  /** Fire times to enqueue, oldest first (the overlap policy still applies to each). */
  readonly enqueue: readonly FireTime[];
  /** Fire times recorded as missed or skipped, with the reason. */
  readonly recorded: readonly FireRange[];
  /** The nominal time of the last fire time handled: the schedule's new `last`. */
  readonly lastNominalMs: number;
  /** The schedule's next fire after this plan; undefined when the trigger is done. */
  readonly next: FireTime | undefined;
  /** More fire times were due than one tick handles: the next tick continues this backlog. */
  readonly backlog: boolean;
}

/** The inputs of `planFires`. */
export interface FirePlanInput {
  readonly trigger: CompiledTrigger;
  /** Seeds jitter: the schedule id. */
  readonly seed: string;
  /** Fire times strictly after this nominal time are considered. */
  readonly lastNominalMs: number;
  /** The cluster time: fire times whose jittered time is at or before it are due. */
  readonly nowMs: number;
  /**
   * Fire times after `nowMs` and at or before this are committed ahead (the coordinator's
   * lookahead): enqueued as they are, never missed or coalesced, since none is late.
   * @defaultValue `nowMs`: nothing ahead
   */
  readonly horizonMs?: number;
  readonly misfireGraceMs: number | null;
  readonly coalesce: CoalescePolicy;
  readonly catchUpLimit: number;
  /**
   * At most this many due fire times are handled at once; the rest wait for the next tick, so a
   * long outage of an every-second schedule costs bounded work per tick. @defaultValue 10,000
   */
  readonly maxFiresPerTick?: number;
  /** The previous tick left a backlog: its first fire time was already handled (`earliest` ran it). */
  readonly continuesBacklog?: boolean;
}

function range(status: FireRange['status'], reason: FireRange['reason'], fires: readonly FireTime[]): FireRange[] {
  const first = fires[0];
  const last = fires[fires.length - 1];
  if (!first || !last) return [];
  return [{ status, reason, firstNominalMs: first.nominalMs, lastNominalMs: last.nominalMs, count: fires.length }];
}

/**
 * Decides, for one schedule, which due fire times to enqueue and which to record as missed or
 * skipped: the misfire grace first (a fire time later than the grace is missed), then the
 * coalesce policy over the rest. Pure: time comes in as `nowMs`.
 */
export function planFires(input: FirePlanInput): FirePlan {
  const { trigger, seed, nowMs, misfireGraceMs, coalesce, catchUpLimit, maxFiresPerTick = 10_000 } = input;
  const horizonMs = Math.max(nowMs, input.horizonMs ?? nowMs);
  const candidates = trigger.take(input.lastNominalMs, maxFiresPerTick + 1, { seed, untilMs: horizonMs + 1 });
  const dueFires = candidates.filter((fire) => fire.fireAtMs <= horizonMs);
  // More fires are due than one tick handles: none of these is the latest, so only `earliest`
  // may still enqueue one of them.
  const complete = dueFires.length <= maxFiresPerTick;
  const handled = complete ? dueFires : dueFires.slice(0, maxFiresPerTick);
  const due = handled.filter((fire) => fire.fireAtMs <= nowMs);
  const ahead = handled.slice(due.length);
  const lastFire = handled[handled.length - 1];
  const lastNominalMs = lastFire ? lastFire.nominalMs : input.lastNominalMs;

  const late = misfireGraceMs === null ? [] : due.filter((fire) => nowMs - fire.fireAtMs > misfireGraceMs);
  const onTime = due.slice(late.length);
  const recorded: FireRange[] = range('missed', 'misfire-grace', late);
  let enqueue: FireTime[];
  if (coalesce === 'latest') {
    enqueue = complete ? onTime.slice(-1) : [];
    recorded.push(...range('skipped', 'coalesced', complete ? onTime.slice(0, -1) : onTime));
  } else if (coalesce === 'earliest') {
    enqueue = input.continuesBacklog ? [] : onTime.slice(0, 1);
    recorded.push(...range('skipped', 'coalesced', onTime.slice(enqueue.length)));
  } else {
    const keep = complete ? Math.min(onTime.length, catchUpLimit) : 0;
    enqueue = onTime.slice(onTime.length - keep);
    recorded.push(...range('skipped', 'catch-up-limit', onTime.slice(0, onTime.length - keep)));
  }
  return { enqueue: [...enqueue, ...ahead], recorded, lastNominalMs, next: trigger.next(lastNominalMs, seed), backlog: !complete };
}
