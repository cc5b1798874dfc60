import type { ContentionGate } from './contention-gate';

/** Options of {@link LeaseBalancer}. */
export interface LeaseBalancerOptions {
  /** The least time between two leases this process gives up. */
  readonly yieldCooldownMs: number;
  /** Local monotonic time in ms. @defaultValue `performance.now()` */
  readonly now?: () => number;
}

/**
 * Spreads the leases of several namespaces over the coordinator replicas that serve them. Each
 * replica aims at its fair share, `ceil(namespaces / replicas)`:
 *
 * - under its share it contends for every lease as soon as it is free;
 * - at or over its share it takes a lease only when the lease stayed free for two consecutive
 *   checks (one renew interval), so a namespace never stays without a leader when the other
 *   replicas are full, but a replica under its share wins a freed lease first;
 * - over its share (a replica joined) it gives one lease up per cooldown, and a replica under its
 *   share takes it at once.
 *
 * Leases are still won and fenced per namespace; the balancer only decides when to try.
 */
export class LeaseBalancer {
  private readonly leading = new Set<string>();
  private readonly freeOnLastCheck = new Set<string>();
  private readonly namespaces = new Set<string>();
  private replicaCount = 1;
  private lastYieldAt = Number.NEGATIVE_INFINITY;
  private readonly now: () => number;

  constructor(private readonly options: LeaseBalancerOptions) {
    this.now = options.now ?? (() => performance.now());
  }

  /** Sets the number of live replicas serving these namespaces, this one included. */
  setReplicaCount(count: number): void {
    this.replicaCount = Math.max(1, Math.floor(count));
  }

  /** The most leases this replica keeps. */
  fairShare(): number {
    return Math.max(1, Math.ceil(this.namespaces.size / this.replicaCount));
  }

  /** The namespaces this replica leads now. */
  leadingNamespaces(): string[] {
    return [...this.leading].sort();
  }

  /**
   * The gate of one namespace's election.
   *
   * @param isLeaseFree - whether nobody holds the namespace's lease now (reads Redis)
   */
  gateFor(namespace: string, isLeaseFree: () => Promise<boolean>): ContentionGate {
    this.namespaces.add(namespace);
    return {
      mayContend: async () => {
        if (this.leading.size < this.fairShare()) return true;
        const free = await isLeaseFree();
        if (!free) {
          this.freeOnLastCheck.delete(namespace);
          return false;
        }
        if (this.freeOnLastCheck.has(namespace)) return true;
        this.freeOnLastCheck.add(namespace);
        return false;
      },
      shouldYield: () => {
        if (this.leading.size <= this.fairShare() || this.now() - this.lastYieldAt < this.options.yieldCooldownMs) return false;
        this.lastYieldAt = this.now();
        return true;
      },
      leadershipChanged: (leading) => {
        this.freeOnLastCheck.delete(namespace);
        if (leading) this.leading.add(namespace);
        else this.leading.delete(namespace);
      },
    };
  }
}
