/**
 * A counting semaphore within one process: at most `limit` holders at once. Waiters are served
 * in arrival order.
 */
export class Semaphore {
  private held = 0;
  private readonly waiters: { resolve: () => void; reject: (reason: unknown) => void }[] = [];

  constructor(readonly limit: number) {}

  /** Permits held now. */
  get inUse(): number {
    return this.held;
  }

  /** Takes a permit if one is free, without waiting. */
  tryAcquire(): boolean {
    if (this.held >= this.limit) return false;
    this.held += 1;
    return true;
  }

  /** Takes a permit, waiting for one; rejects when {@link Semaphore.rejectWaiters} is called meanwhile. */
  acquire(): Promise<void> {
    if (this.tryAcquire()) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /** Returns a permit; the longest waiter, if any, takes it over. */
  release(): void {
    const next = this.waiters.shift();
    if (next) next.resolve();
    else this.held = Math.max(0, this.held - 1);
  }

  /** Rejects every waiter with `reason` (they get no permit). */
  rejectWaiters(reason: unknown): void {
    for (const waiter of this.waiters.splice(0)) waiter.reject(reason);
  }
}
