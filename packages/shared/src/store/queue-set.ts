import { Queue } from 'bullmq';
import type { RedisConnection } from '../redis/redis-target';
import type { NamespaceKeys } from './keys';

/**
 * The BullMQ `Queue` objects of a namespace, opened on first use with the namespace's prefix and
 * kept until {@link close}. They share the given connection; closing them leaves it open.
 */
export class QueueSet {
  private readonly queues = new Map<string, Queue>();

  constructor(
    private readonly redis: RedisConnection,
    private readonly keys: Pick<NamespaceKeys, 'bullPrefix'>,
  ) {}

  /** The queue called `name`. */
  get(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.redis, prefix: this.keys.bullPrefix });
      this.queues.set(name, queue);
    }
    return queue;
  }

  /** Closes the queues opened so far (not the shared connection). */
  async close(): Promise<void> {
    const queues = [...this.queues.values()];
    this.queues.clear();
    await Promise.all(queues.map((queue) => queue.close()));
  }
}
