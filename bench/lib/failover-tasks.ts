/**
 * The task module the failover scenario's `sundial-worker` loads (`--tasks`): one task that
 * counts each execution per nominal fire time in the hash `<SUNDIAL_NAMESPACE>:executions` and
 * keeps when it ran in `<SUNDIAL_NAMESPACE>:executed`, so lost, duplicate and late fires can be
 * counted afterwards.
 */
import { Redis } from 'ioredis';

let connection: Redis | undefined;

/** `failover-tick`: counts its fire time (epoch ms) and records when it ran (epoch ms). */
export const failoverTick = {
  name: 'failover-tick',
  handler: async (context: { fireTime: Date }): Promise<void> => {
    connection ??= new Redis(process.env.REDIS_URL ?? '', { maxRetriesPerRequest: null });
    const namespace = process.env.SUNDIAL_NAMESPACE ?? '';
    const fireTime = String(context.fireTime.getTime());
    await connection.multi().hincrby(`${namespace}:executions`, fireTime, 1).hset(`${namespace}:executed`, fireTime, Date.now()).exec();
  },
};
