/** A source of the current time, injected so tests control time without waiting. */
export interface Clock {
  /** The current instant in epoch milliseconds. */
  now(): number;
}

/** The system clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
};
