import { Job } from 'bullmq';
import { QueueSet, handedOverData, runJobOptions, type Clock, type JobRetention, type Lease, type LeaderStore, type OutboxEntry, type RedisConnection } from '@sundial/shared';
import type { Logger } from '../logger';

export type { JobRetention } from '@sundial/shared';

const OUTBOX_BATCH = 1_000;
const PENDING_STATES = new Set(['waiting', 'delayed', 'prioritized', 'waiting-children']);

/**
 * Hands to BullMQ the runs an older coordinator committed into the outbox (the commit scripts now
 * add jobs themselves: docs/adr/0003-jobs-added-in-the-commit.md), and carries out cancellations.
 * A run's job id is its run id, so adding it again (after a crash between the add and the outbox
 * acknowledgement) finds the existing job and adds nothing; the job retention is the window in
 * which that holds (see docs/adr/0002-exactly-once-enqueue.md).
 */
export class Dispatcher {
  private readonly queues: QueueSet;

  constructor(
    private readonly connection: RedisConnection,
    private readonly store: LeaderStore,
    private readonly clock: Clock,
    private readonly retention: JobRetention,
    private readonly logger: Logger,
    /** How far ahead of their time runs are handed to BullMQ: the coordinator's lookahead. */
    private readonly handAheadMs = 0,
  ) {
    this.queues = new QueueSet(connection, store.keys);
  }

  /**
   * Adds the runs of the outbox due within the hand-ahead window to their queues, then removes
   * them from the outbox. A run handed over ahead of its time is a waiting job (not a BullMQ
   * delayed job, which would start late) whose `fireAt` tells the worker to hold it until then.
   * @throws LeaseLostError
   */
  async dispatch(lease: Lease): Promise<number> {
    let total = 0;
    for (;;) {
      const nowMs = this.clock.now();
      const entries = await this.store.readOutbox(OUTBOX_BATCH, nowMs + this.handAheadMs);
      if (entries.length === 0) return total;
      await Promise.all(
        [...groupByQueue(entries)].map(async ([queue, group]) => {
          await this.queues.get(queue).addBulk(group.map((entry) => this.toBulkJob(entry, nowMs)));
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

  private toBulkJob(entry: OutboxEntry, nowMs: number) {
    const { job } = entry;
    return { name: job.name, data: handedOverData(job, entry.fireAtMs, nowMs), opts: runJobOptions(job, entry.runId, this.retention) };
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
