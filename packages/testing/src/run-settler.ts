import type { QueueSet, RedisConnection } from '@sundial/shared';
import type { Job } from 'bullmq';
import type { UnsettledRun } from './environment-errors';
import type { ParkedRetries } from './parked-retries';

/**
 * What an advance waits for at each virtual instant before time moves on:
 * - `settled`: every run that became runnable has finished, or waits (parked) for its next attempt;
 * - `started`: every such run has started; runs still running go on while time moves.
 */
export type SettleMode = 'settled' | 'started';

/** The BullMQ states of jobs that are still to be taken by a worker. */
const PENDING = ['waiting', 'prioritized', 'waiting-children', 'paused'] as const;
const POLL_MS = 3;

/**
 * Watches the BullMQ queues of a test environment's namespace until its runs settle: no job
 * waits to be taken, none is delayed except retries parked in virtual time, and (in `settled`
 * mode) none is active.
 */
export class RunSettler {
  constructor(
    private readonly redis: RedisConnection,
    private readonly queuesKey: string,
    private readonly workerQueues: readonly string[],
    private readonly queues: QueueSet,
    private readonly parked: ParkedRetries,
  ) {}

  /** Resolves once the runs settle; returns the unsettled runs instead when `timeoutMs` of real time pass first. */
  async settle(mode: SettleMode, timeoutMs: number): Promise<UnsettledRun[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const names = await this.queueNames();
      const busy = await Promise.all(names.map((name) => this.queueBusy(name, mode)));
      if (!busy.includes(true)) return [];
      if (Date.now() > deadline) return this.unsettled(names, mode);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  private async queueNames(): Promise<string[]> {
    return [...new Set([...this.workerQueues, ...(await this.redis.smembers(this.queuesKey))])].sort();
  }

  private async queueBusy(name: string, mode: SettleMode): Promise<boolean> {
    const queue = this.queues.get(name);
    const counts = await queue.getJobCounts(...PENDING, 'active', 'delayed');
    if (PENDING.some((state) => (counts[state] ?? 0) > 0)) return true;
    if (mode === 'settled' && (counts.active ?? 0) > 0) return true;
    if ((counts.delayed ?? 0) === 0) return false;
    const delayed = await queue.getJobs(['delayed']);
    return delayed.some((job) => job.id === undefined || !this.parked.has(job.id));
  }

  private async unsettled(names: readonly string[], mode: SettleMode): Promise<UnsettledRun[]> {
    const runs: UnsettledRun[] = [];
    for (const name of names) {
      const queue = this.queues.get(name);
      const states = mode === 'settled' ? [...PENDING, 'active', 'delayed'] : [...PENDING, 'delayed'];
      for (const state of states) {
        const jobs: Job[] = await queue.getJobs([state as 'waiting']);
        for (const job of jobs) {
          if (job.id === undefined || (state === 'delayed' && this.parked.has(job.id))) continue;
          runs.push({ runId: job.id, task: job.name, state, queue: name });
        }
      }
    }
    return runs;
  }
}
