import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { SundialClient, namespaceKeys, type Run } from '@sundial/shared';
import path from 'node:path';
import { spawnNode, type SpawnedProcess } from '../support/processes';
import { startRedisServer, type RedisServer, type RedisServerOptions } from '../support/redis-server';
import { closeClient } from '../support/redis-client';

const SUNDIAL_BIN = path.join(__dirname, '..', '..', 'packages', 'coordinator', 'bin', 'sundial.js');

/** A Redis of its own, coordinators as real processes, a client and a worker that records every job it runs. */
export class Cluster {
  readonly namespace = 'chaos';
  readonly coordinators: SpawnedProcess[] = [];
  /** Run ids in the order the worker ran them; a duplicate would show up twice. */
  readonly processed: string[] = [];
  private client!: SundialClient;
  private clientRedis!: Redis;
  private workerRedis!: Redis;
  private worker!: Worker;
  private count = 0;

  private constructor(readonly redis: RedisServer) {}

  static async start(options: RedisServerOptions = {}): Promise<Cluster> {
    const cluster = new Cluster(await startRedisServer(options));
    cluster.clientRedis = new Redis(cluster.redis.url);
    cluster.client = new SundialClient({ connection: cluster.clientRedis, namespace: cluster.namespace });
    cluster.workerRedis = new Redis(cluster.redis.url, { maxRetriesPerRequest: null });
    cluster.worker = new Worker(
      'default',
      async (job) => {
        cluster.processed.push(job.id as string);
      },
      { connection: cluster.workerRedis, prefix: namespaceKeys(cluster.namespace).bullPrefix, concurrency: 50 },
    );
    cluster.worker.on('error', () => undefined);
    return cluster;
  }

  get sundial(): SundialClient {
    return this.client;
  }

  /** Starts a coordinator process with a short lease, so failover tests are quick. */
  startCoordinator(): SpawnedProcess {
    this.count += 1;
    const process = spawnNode(SUNDIAL_BIN, ['coordinator', '--port', '0', '--lease', '2s', '--renew-every', '400ms'], {
      name: `coordinator-${this.count}`,
      env: { REDIS_URL: this.redis.url, SUNDIAL_NAMESPACE: this.namespace, SUNDIAL_LOG_LEVEL: 'info' },
    });
    this.coordinators.push(process);
    return process;
  }

  /** The coordinator process that leads now (by the heartbeats), waiting for one (other than `except`) to be elected. */
  async leader(timeoutMs = 15_000, except?: SpawnedProcess): Promise<SpawnedProcess> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const status = await this.client.status().catch(() => undefined);
      const leaders = status?.coordinators.filter((coordinator) => coordinator.leader) ?? [];
      const process = this.coordinators.find((candidate) => !candidate.hasExited && leaders.some((leader) => leader.pid === candidate.pid));
      if (leaders.length === 1 && process && process !== except) return process;
      await sleep(100);
    }
    throw new Error(`no leader within ${timeoutMs} ms:\n${this.coordinators.map((c) => `${c.name}:\n${c.output().slice(-3000)}`).join('\n')}`);
  }

  /** Every run record of a schedule, oldest first. */
  async runs(scheduleId: string): Promise<Run[]> {
    return (await this.client.listRuns({ scheduleId, limit: 1_000 })).reverse();
  }

  /** Waits until the worker has run `runId`. */
  async processedRun(runId: string, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.processed.includes(runId)) {
      if (Date.now() > deadline) throw new Error(`run ${runId} was not processed; processed: ${this.processed.slice(-10).join(', ')}`);
      await sleep(50);
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.coordinators.map((process) => process.stop(5_000)));
    await this.worker.close();
    await this.client.close();
    await closeClient(this.clientRedis);
    await closeClient(this.workerRedis);
    await this.redis.stop();
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Counts of each value that occurs more than once. */
export function duplicates(values: readonly string[]): Record<string, number> {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return Object.fromEntries([...counts].filter(([, count]) => count > 1));
}

/** The nominal fire times of an every-second schedule from `firstMs` to `lastMs`, as run ids. */
export function everySecondRunIds(scheduleId: string, firstMs: number, lastMs: number): string[] {
  const ids: string[] = [];
  for (let ms = firstMs; ms <= lastMs; ms += 1_000) ids.push(`${scheduleId}@${ms}`);
  return ids;
}
