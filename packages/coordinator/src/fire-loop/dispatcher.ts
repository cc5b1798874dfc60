import { Job } from 'bullmq';
import { QueueSet, type Clock, type Lease, type LeaderStore, type OutboxEntry, type RedisConnection } from '@sundial/shared';
import type { Logger } from '../logger';


/** How long BullMQ keeps finished jobs. */
export interface JobRetention {
  /** Seconds a completed job is kept. @defaultValue 86,400 */
  readonly completedSeconds: number;
  /** Seconds a failed job is kept. @defaultValue 604,800 */
  readonly failedSeconds: number;
}

const OUTBOX_BATCH = 1_000;
const PENDING_STATES = new Set(['waiting', 'delayed', 'prioritized', 'waiting-children']);

/**
 * Hands committed runs to BullMQ. A run's job id is its run id, so adding it again (after a crash
 * between the add and the outbox acknowledgement) finds the existing job and adds nothing; the
 * job retention is the window in which that holds (see docs/adr/0002-exactly-once-enqueue.md).
 */
export class Dispatcher {
  private readonly queues: QueueSet;

  constructor(
    private readonly connection: RedisConnection,
    private readonly store: LeaderStore,
    private readonly clock: Clock,
    private readonly retention: JobRetention,
    private readonly logger: Logger,
  ) {
    this.queues = new QueueSet(connection, store.keys);
  }

  /**
   * Adds the runs of the outbox whose fire time has come to their queues, then removes them from
   * the outbox. Runs committed ahead (a lookahead) stay until their time, so their jobs start on
   * time without relying on BullMQ's delayed jobs. `onAdded` is told each group of runs once
   * BullMQ has added their jobs, with the cluster time it did.
   * @throws LeaseLostError
   */
  async dispatch(lease: Lease, onAdded?: (entries: readonly OutboxEntry[], addedAtMs: number) => void): Promise<number> {
    let total = 0;
    for (;;) {
      const entries = await this.store.readOutbox(OUTBOX_BATCH, this.clock.now());
      if (entries.length === 0) return total;
      await Promise.all(
        [...groupByQueue(entries)].map(async ([queue, group]) => {
          await this.queues.get(queue).addBulk(group.map((entry) => this.toBulkJob(entry)));
          onAdded?.(group, this.clock.now());
        }),
      );
      await this.store.ackDispatched(lease, entries.map((entry) => entry.runId));
      total += entries.length;
      if (entries.length < OUTBOX_BATCH) return total;
    }
  }

  /**
   * Carries out cancellations asked for by `overlap: cancel-previous` or by an operator
   * (`cancelRun`): a run that has not started is removed from its queue; a running one is told to
   * abort through the cancel channel.
   * @throws LeaseLostError
   */
  async cancel(lease: Lease, cancelChannel: string): Promise<void> {
    const cancels = await this.store.readCancels();
    if (cancels.length === 0) return;
    const outcomes = await Promise.all(
      cancels.map(async ({ runId, queue, reason }) => {
        const job = await Job.fromId(this.queues.get(queue), runId);
        if (!job) return { runId, reason, status: 'cancelled' as const };
        const state = await job.getState();
        if (PENDING_STATES.has(state)) {
          try {
            await job.remove();
            return { runId, reason, status: 'cancelled' as const };
          } catch {
            // It started between the state read and the removal: abort it instead.
          }
        } else if (state === 'completed' || state === 'failed') {
          return { runId, reason, status: 'finished' as const };
        }
        await this.connection.publish(cancelChannel, runId);
        return { runId, reason, status: 'aborting' as const };
      }),
    );
    await this.store.settleCancels(lease, outcomes, this.clock.now());
    this.logger.info({ cancels: outcomes }, 'carried out cancellations');
  }

  async close(): Promise<void> {
    await this.queues.close();
  }

  private toBulkJob(entry: OutboxEntry) {
    const { job } = entry;
    return {
      name: job.name,
      data: job.data,
      opts: {
        ...job.opts,
        jobId: entry.runId,
        delay: Math.max(0, entry.fireAtMs - this.clock.now()),
        removeOnComplete: { age: this.retention.completedSeconds },
        removeOnFail: { age: this.retention.failedSeconds },
      },
    };
  }

}

function groupByQueue(entries: readonly OutboxEntry[]): Map<string, OutboxEntry[]> {
  const groups = new Map<string, OutboxEntry[]>();
  for (const entry of entries) {
    const group = groups.get(entry.job.queue) ?? [];
    group.push(entry);
    groups.set(entry.job.queue, group);
  }
  return groups;
}
