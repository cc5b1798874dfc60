import type { NamespaceKeys } from '@sundial/shared';
import type { Redis } from 'ioredis';
import type { FailoverCluster } from './failover-cluster';

/** What one kill of the leader cost. All times are epoch ms on the one machine's clock. */
export interface FailoverTrial {
  signal: 'SIGKILL' | 'SIGTERM';
  /** When the bench sent the signal. */
  signalAtMs: number;
  /** The epoch the new leader claimed. */
  epoch: number;
  /** Signal → the new leader's `leader.elected` event. */
  leaderlessMs: number;
  /** Signal → the first BullMQ job the new leader added. */
  firstEnqueueMs: number;
  /**
   * The gap: the first run the new leader enqueued, from its due time or the signal, whichever
   * is later, to its BullMQ job's timestamp.
   */
  gapMs: number;
}

const FIRST_RUN_TIMEOUT_MS = 30_000;
const LOOK_BACK_MS = 5_000;

/** The `leader.elected` event of `epoch`: its time. */
async function electedAt(redis: Redis, keys: NamespaceKeys, epoch: number): Promise<number> {
  const entries = (await redis.xrevrange(keys.events, '+', '-', 'COUNT', 500)) as [string, string[]][];
  for (const [, fields] of entries) {
    const event = new Map<string, string>();
    for (let index = 0; index + 1 < fields.length; index += 2) event.set(fields[index] as string, fields[index + 1] as string);
    if (event.get('type') === 'leader.elected' && Number(event.get('epoch')) === epoch) return Number(event.get('time'));
  }
  throw new Error(`no leader.elected event for epoch ${epoch}`);
}

/** The first run (earliest job timestamp, then earliest due time) enqueued under `epoch` among the runs due since `sinceMs`. */
async function firstRunOf(redis: Redis, keys: NamespaceKeys, epoch: number, sinceMs: number): Promise<{ dueMs: number; enqueuedMs: number } | undefined> {
  const runIds = await redis.zrangebyscore(keys.runs, sinceMs, '+inf');
  const pipeline = redis.pipeline();
  for (const runId of runIds) {
    pipeline.hmget(keys.run(runId), 'epoch', 'fireAt', 'queue');
  }
  const records = ((await pipeline.exec()) ?? []).map(([, value]) => value as (string | null)[]);
  const candidates = runIds.map((runId, index) => ({ runId, record: records[index] ?? [] })).filter(({ record }) => Number(record[0]) === epoch);
  if (candidates.length === 0) return undefined;
  const jobs = redis.pipeline();
  for (const { runId, record } of candidates) jobs.hget(`${keys.bullPrefix}:${record[2] ?? 'default'}:${runId}`, 'timestamp');
  const stamps = ((await jobs.exec()) ?? []).map(([, value]) => Number(value));
  let first: { dueMs: number; enqueuedMs: number } | undefined;
  candidates.forEach(({ record }, index) => {
    const enqueuedMs = stamps[index] as number;
    const dueMs = Number(record[1]);
    if (!Number.isFinite(enqueuedMs) || enqueuedMs === 0) return;
    if (!first || enqueuedMs < first.enqueuedMs || (enqueuedMs === first.enqueuedMs && dueMs < first.dueMs)) first = { dueMs, enqueuedMs };
  });
  return first;
}

/**
 * Sends `signal` to the leader, waits for the new leader and its first run, then starts the
 * killed replica again (so there are always two) and waits until it is up.
 */
export async function runFailoverTrial(cluster: FailoverCluster, redis: Redis, keys: NamespaceKeys, signal: 'SIGKILL' | 'SIGTERM'): Promise<FailoverTrial> {
  const { name, replica } = await cluster.leader();
  const epochBefore = await cluster.epoch();
  const signalAtMs = Date.now();
  replica.kill(signal);
  const epoch = await cluster.nextEpoch(epochBefore);
  const deadline = Date.now() + FIRST_RUN_TIMEOUT_MS;
  let first: { dueMs: number; enqueuedMs: number } | undefined;
  while (!(first = await firstRunOf(redis, keys, epoch, signalAtMs - LOOK_BACK_MS))) {
    if (Date.now() > deadline) throw new Error(`the leader of epoch ${epoch} enqueued no run within ${FIRST_RUN_TIMEOUT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const elected = await electedAt(redis, keys, epoch);
  await replica.exited;
  await cluster.start(name);
  return {
    signal,
    signalAtMs,
    epoch,
    leaderlessMs: elected - signalAtMs,
    firstEnqueueMs: first.enqueuedMs - signalAtMs,
    gapMs: first.enqueuedMs - Math.max(signalAtMs, first.dueMs),
  };
}
