import type { Clock, NamespaceKeys, WorkerHeartbeat, RedisConnection } from '@sundial/shared';
import { hostname } from 'node:os';
import { packageVersion } from './version';

/** What a worker says about itself in its heartbeat, apart from the live count. */
export interface WorkerIdentity {
  readonly id: string;
  readonly queues: readonly string[];
  readonly tasks: readonly string[];
  readonly concurrency: number;
}

/**
 * Publishes a worker's heartbeat in the namespace's `workers` hash: `sundial status` lists the
 * live ones, and adding a schedule warns when no live worker serves its task. A heartbeat
 * expires after three intervals, so a worker that died drops out of the list by itself.
 */
export class HeartbeatPublisher {
  private readonly host = hostname();
  private readonly version = packageVersion();

  constructor(
    private readonly redis: RedisConnection,
    private readonly keys: NamespaceKeys,
    private readonly clock: Clock,
    private readonly identity: WorkerIdentity,
    private readonly everyMs: number,
  ) {}

  /** Writes the heartbeat with the number of runs in flight now. */
  async beat(inFlight: number): Promise<void> {
    const { id, queues, tasks, concurrency } = this.identity;
    const now = this.clock.now();
    const heartbeat: WorkerHeartbeat = {
      id,
      host: this.host,
      pid: process.pid,
      version: this.version,
      queues,
      tasks,
      concurrency,
      inFlight,
      beatAt: now,
      expiresAt: now + 3 * this.everyMs,
    };
    await this.redis.hset(this.keys.workers, id, JSON.stringify(heartbeat));
  }

  /** Removes the heartbeat: the worker is gone. */
  async remove(): Promise<void> {
    await this.redis.hdel(this.keys.workers, this.identity.id);
  }
}
