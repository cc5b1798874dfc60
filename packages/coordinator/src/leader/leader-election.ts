import { Redlock, type Lock } from '@sesamecare-oss/redlock';
import type { Lease, LeaderStore, RedisConnection } from '@sundial/shared';
import { EventEmitter } from 'node:events';
import type { Logger } from '../logger';
import type { ContentionGate } from './contention-gate';

/** Timing of the leader lease. */
export interface LeaderElectionOptions {
  /** How long a lease lasts without renewal. @defaultValue 5,000 ms */
  readonly leaseMs: number;
  /** How often the leader renews it, and how often standbys try to take it. @defaultValue 1,000 ms */
  readonly renewEveryMs: number;
  /** When to contend and when to yield, for a coordinator leading several namespaces. @defaultValue always contend, never yield */
  readonly gate?: ContentionGate;
}

/** Why a coordinator stopped leading, as `leader.lost` events and logs say. */
export type LeadershipLossCause = 'expired' | 'lost' | 'yielded';

/** Events of `LeaderElection`. */
export interface LeaderElectionEvents {
  elected: [lease: Lease];
  /**
   * `expired`: the lease may have run out before it could be renewed; `lost`: a renewal or a
   * fenced write failed; `yielded`: released on purpose so another replica leads this namespace.
   */
  lost: [reason: string, cause: LeadershipLossCause];
}

/**
 * Contends for leadership with redlock. The winner claims a new fencing epoch; it renews the lease
 * about every second and stops leading at once when a renewal fails or when, for any reason (a
 * stalled event loop, an unreachable Redis), its lease may have expired.
 */
export class LeaderElection extends EventEmitter<LeaderElectionEvents> {
  private readonly redlock: Redlock;
  private lock: Lock | undefined;
  private current: Lease | undefined;
  /** Local monotonic time (ms) until which the lease is surely held. */
  private validUntil = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private busy = false;

  constructor(
    redis: RedisConnection,
    private readonly store: LeaderStore,
    private readonly options: LeaderElectionOptions,
    private readonly logger: Logger,
  ) {
    super();
    this.redlock = new Redlock([redis], { retryCount: 0, driftFactor: 0.01 });
    // Redlock reports errors of individual attempts as events; they are handled where they surface.
    this.redlock.on('error', () => undefined);
  }

  /** The lease while it is surely held, else undefined. */
  lease(): Lease | undefined {
    if (this.current && performance.now() >= this.validUntil) this.loseLeadership('lease expired before it could be renewed', 'expired');
    return this.current;
  }

  /** Starts contending. */
  start(): void {
    this.schedule(0);
  }

  /** Tries to take the lease now (a leader just released it). */
  contendNow(): void {
    if (!this.current && !this.stopped) this.schedule(0);
  }

  /** Gives leadership up after the fire loop found its lease gone. */
  markLost(reason: string): void {
    this.loseLeadership(reason, 'lost');
  }

  /** Stops contending; a leader releases its lease so a standby takes over at once. Returns whether it was leading. */
  async stop(): Promise<boolean> {
    this.stopped = true;
    clearTimeout(this.timer);
    const lock = this.lock;
    const wasLeader = this.current !== undefined;
    this.current = undefined;
    this.lock = undefined;
    if (wasLeader) this.options.gate?.leadershipChanged(false);
    if (lock) {
      try {
        await lock.release();
      } catch (error) {
        this.logger.warn({ err: error }, 'could not release the leader lease; it expires on its own');
      }
    }
    return wasLeader;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.step(), delayMs);
  }

  private async step(): Promise<void> {
    if (this.busy || this.stopped) return;
    this.busy = true;
    try {
      if (this.lock) await this.renew(this.lock);
      else if (await this.mayContend()) await this.tryAcquire();
      if (this.lock && this.options.gate?.shouldYield()) await this.yieldLease(this.lock);
    } finally {
      this.busy = false;
      this.schedule(this.options.renewEveryMs);
    }
  }

  private async mayContend(): Promise<boolean> {
    const { gate } = this.options;
    if (!gate) return true;
    return gate.mayContend().catch(() => true);
  }

  /** Releases the lease on purpose; the coordinator tells standbys, which take it at once. */
  private async yieldLease(lock: Lock): Promise<void> {
    this.loseLeadership('released to spread leases over replicas', 'yielded');
    await lock.release().catch(() => undefined);
  }

  private async tryAcquire(): Promise<void> {
    const startedAt = performance.now();
    let lock: Lock;
    try {
      lock = await this.redlock.acquire([this.store.keys.leader], this.options.leaseMs);
    } catch {
      return;
    }
    const epoch = await this.store.claimEpoch(lock.value).catch(() => undefined);
    if (epoch === undefined || this.stopped) {
      await lock.release().catch(() => undefined);
      return;
    }
    this.lock = lock;
    this.current = { token: lock.value, epoch };
    this.validUntil = startedAt + this.validityMs();
    this.logger.info({ epoch }, 'elected leader');
    this.options.gate?.leadershipChanged(true);
    this.emit('elected', this.current);
  }

  private async renew(lock: Lock): Promise<void> {
    const startedAt = performance.now();
    try {
      this.lock = await lock.extend(this.options.leaseMs);
      this.validUntil = startedAt + this.validityMs();
    } catch (error) {
      this.loseLeadership(`lease renewal failed: ${(error as Error).message}`, 'lost');
    }
  }

  /** How long a lease is surely valid after the request that set it was sent, allowing for clock drift. */
  private validityMs(): number {
    return this.options.leaseMs * 0.99 - 2;
  }

  private loseLeadership(reason: string, cause: LeadershipLossCause): void {
    if (!this.current) return;
    const { epoch } = this.current;
    this.current = undefined;
    this.lock = undefined;
    if (cause === 'yielded') this.logger.info({ epoch, reason }, 'gave leadership up');
    else this.logger.warn({ epoch, reason }, 'lost leadership');
    this.options.gate?.leadershipChanged(false);
    this.emit('lost', reason, cause);
  }
}
