import type { Clock } from '@sundial/shared';

/**
 * Time under a test's control: it stands still until moved, and never moves backwards. The
 * coordinator, the worker's run records and the client of a test environment all read it.
 */
export class VirtualClock implements Clock {
  constructor(private ms: number) {}

  now(): number {
    return this.ms;
  }

  /** Moves to `ms` when that is later; an earlier instant leaves the clock where it is. */
  moveTo(ms: number): void {
    if (ms > this.ms) this.ms = ms;
  }
}
