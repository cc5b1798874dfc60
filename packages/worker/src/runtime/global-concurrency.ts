import type { Clock, NamespaceKeys, RedisConnection } from '@sundial/shared';

/*
  Takes a lease on a task's cluster-wide concurrency, if one is free.

  KEYS[1] sorted set of leases (lease id scored by expiry, ms)
  ARGV[1] cluster time (ms)   ARGV[2] lease id   ARGV[3] lease time to live (ms)   ARGV[4] limit

  Leases past their expiry (a crashed worker's) are dropped first. Returns 1 when the lease is
  held (taken now or already held, then extended), 0 when the limit is reached.
*/
const ACQUIRE_LEASE_LUA = `
local now = tonumber(ARGV[1])
local ttl = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if not redis.call('ZSCORE', KEYS[1], ARGV[2]) and redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[4]) then
  return 0
end
redis.call('ZADD', KEYS[1], now + ttl, ARGV[2])
redis.call('PEXPIRE', KEYS[1], ttl)
return 1
`;

/*
  Extends leases still held; a lease that expired meanwhile (and may have been reclaimed) is not
  taken back.

  KEYS[1] sorted set of leases
  ARGV[1] cluster time (ms)   ARGV[2] lease time to live (ms)   ARGV[3..] lease ids

  Returns the number of leases extended.
*/
const RENEW_LEASES_LUA = `
local expiry = tonumber(ARGV[1]) + tonumber(ARGV[2])
local renewed = 0
for i = 3, #ARGV do
  renewed = renewed + redis.call('ZADD', KEYS[1], 'XX', 'CH', expiry, ARGV[i])
end
if renewed > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return renewed
`;

const ACQUIRE = 'sundialAcquireLease';
const RENEW = 'sundialRenewLeases';

type LeaseCommands = {
  [ACQUIRE](key: string, now: number, leaseId: string, ttlMs: number, limit: number): Promise<number>;
  [RENEW](key: string, now: number, ttlMs: number, ...leaseIds: string[]): Promise<number>;
};

const registered = new WeakSet<RedisConnection>();

function commands(redis: RedisConnection): LeaseCommands {
  if (!registered.has(redis)) {
    redis.defineCommand(ACQUIRE, { numberOfKeys: 1, lua: ACQUIRE_LEASE_LUA });
    redis.defineCommand(RENEW, { numberOfKeys: 1, lua: RENEW_LEASES_LUA });
    registered.add(redis);
  }
  return redis as unknown as LeaseCommands;
}

/** A slot of a task's cluster-wide concurrency, held by one run. */
export interface GlobalLease {
  readonly key: string;
  readonly id: string;
}

/**
 * Limits a task's runs across the cluster (`task.globalConcurrency`) with a Redis semaphore in the
 * namespace: a sorted set of leases scored by expiry. Held leases are extended every heartbeat;
 * a worker that dies stops extending its own, and they expire after `leaseTtlMs`, freeing the
 * slots without anyone's help.
 */
export class GlobalConcurrency {
  private readonly held = new Map<string, Set<string>>();

  constructor(
    private readonly redis: RedisConnection,
    private readonly keys: NamespaceKeys,
    private readonly workerId: string,
    private readonly clock: Clock,
    private readonly leaseTtlMs: number,
  ) {}

  /** Takes a slot of `task`'s `limit` for a run; undefined when all are taken. */
  async tryAcquire(task: string, limit: number, runId: string): Promise<GlobalLease | undefined> {
    const lease = { key: `${this.keys.base}:concurrency:${task}`, id: `${this.workerId}|${runId}` };
    const taken = await commands(this.redis)[ACQUIRE](lease.key, this.clock.now(), lease.id, this.leaseTtlMs, limit);
    if (taken !== 1) return undefined;
    const ids = this.held.get(lease.key) ?? new Set<string>();
    ids.add(lease.id);
    this.held.set(lease.key, ids);
    return lease;
  }

  /** Gives a slot back. */
  async release(lease: GlobalLease): Promise<void> {
    const ids = this.held.get(lease.key);
    ids?.delete(lease.id);
    if (ids?.size === 0) this.held.delete(lease.key);
    await this.redis.zrem(lease.key, lease.id);
  }

  /** Extends every lease this worker holds by `leaseTtlMs` from now. */
  async renewAll(): Promise<void> {
    const now = this.clock.now();
    await Promise.all([...this.held].map(([key, ids]) => commands(this.redis)[RENEW](key, now, this.leaseTtlMs, ...ids)));
  }
}
