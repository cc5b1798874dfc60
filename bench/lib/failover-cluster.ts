import type { NamespaceKeys } from '@sundial/shared';
import type { Redis } from 'ioredis';
import { spawnCoordinator, type BenchProcess } from './processes';

const LEADER_TIMEOUT_MS = 30_000;
const POLL_MS = 10;

/** Two `sundial coordinator` replicas of one namespace; a killed one is started again under the same name. */
export class FailoverCluster {
  private readonly replicas = new Map<string, BenchProcess>();

  constructor(
    private readonly redisUrl: string,
    private readonly namespace: string,
    private readonly redis: Redis,
    private readonly keys: NamespaceKeys,
  ) {}

  /** Starts (or starts again) the replica `name`. */
  async start(name: string): Promise<BenchProcess> {
    const replica = await spawnCoordinator({ redisUrl: this.redisUrl, namespace: this.namespace, name, args: ['--lease', '5s'] });
    this.replicas.set(name, replica);
    return replica;
  }

  /** The replica whose /metrics says it leads, once one does. */
  async leader(): Promise<{ name: string; replica: BenchProcess }> {
    const deadline = Date.now() + LEADER_TIMEOUT_MS;
    for (;;) {
      for (const [name, replica] of this.replicas) {
        if (replica.hasExited) continue;
        const metrics = await replica.fetchText('/metrics').catch(() => '');
        if (/^sundial_leader 1$/m.test(metrics)) return { name, replica };
      }
      if (Date.now() > deadline) throw new Error(`no coordinator became leader within ${LEADER_TIMEOUT_MS} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** The current fencing epoch. */
  async epoch(): Promise<number> {
    return Number((await this.redis.get(this.keys.epoch)) ?? 0);
  }

  /** Waits until the epoch is past `epoch`; returns the new one. */
  async nextEpoch(epoch: number, timeoutMs = LEADER_TIMEOUT_MS): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const current = await this.epoch();
      if (current > epoch) return current;
      if (Date.now() > deadline) throw new Error(`no new leader within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  /** Stops every replica. */
  async stop(): Promise<void> {
    await Promise.all([...this.replicas.values()].map((replica) => replica.stop()));
  }
}
