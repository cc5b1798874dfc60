import { performance } from 'node:perf_hooks';

/** The shortest time without a tick after which a loop counts as stuck. */
export const MIN_STUCK_AFTER_MS = 30_000;
/** How many of its intervals a loop may miss before it counts as stuck (when that is longer than {@link MIN_STUCK_AFTER_MS}). */
export const STUCK_AFTER_INTERVALS = 10;

/**
 * Whether a periodic loop is still ticking, for a `/healthz` probe: stuck once it has not ticked
 * for max({@link MIN_STUCK_AFTER_MS}, {@link STUCK_AFTER_INTERVALS} × its interval). The loop
 * calls {@link tick} on every turn whether or not its work succeeded, so an unreachable Redis
 * never makes the process look dead; a blocked event loop or a loop that stopped does.
 */
export class LoopLiveness {
  /** How long without a tick counts as stuck, in ms. */
  readonly stuckAfterMs: number;
  private lastTickMs: number;

  /**
   * @param intervalMs - how often the loop ticks
   * @param now - a monotonic clock in ms @defaultValue `performance.now`
   */
  constructor(intervalMs: number, private readonly now: () => number = () => performance.now()) {
    this.stuckAfterMs = Math.max(MIN_STUCK_AFTER_MS, STUCK_AFTER_INTERVALS * intervalMs);
    this.lastTickMs = now();
  }

  /** The loop made a turn. */
  tick(): void {
    this.lastTickMs = this.now();
  }

  /** Whether the loop ticked within {@link stuckAfterMs}. */
  readonly alive = (): boolean => this.now() - this.lastTickMs <= this.stuckAfterMs;
}
