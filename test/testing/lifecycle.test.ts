import { connect } from 'node:net';
import { Redis } from 'ioredis';
import { defineTask } from '@sundial/worker';
import { runTask as workerRunTask } from '@sundial/worker/testing';
import { createTestEnvironment, runTask } from '@sundial/testing';
import { testRedisUrl } from '../support/namespace';
import { closeClient } from '../support/redis-client';

/** Whether something accepts connections on the port of `url`. */
function accepts(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('a test environment', () => {
  const ping = defineTask({ name: 'ping', handler: ({ data }) => data });

  test('on a given Redis, keeps to its own namespace and deletes its keys on close', async () => {
    const redis = new Redis(testRedisUrl());
    try {
      const env = await createTestEnvironment({ tasks: [ping], redis: testRedisUrl(), start: '2026-01-05T00:00:00Z' });
      await env.client.add({ id: 'a', task: 'ping', trigger: { every: '1h' }, data: { from: 'a' } });
      await env.client.add({ id: 'b', task: 'ping', trigger: { every: '90m' }, data: { from: 'b' } });
      await env.advanceBy('3h');

      expect((await env.runs({ scheduleId: 'b' })).map((run) => [run.fireTime, run.task, run.result])).toEqual([
        ['2026-01-05T01:30:00.000Z', 'ping', { from: 'b' }],
        ['2026-01-05T03:00:00.000Z', 'ping', { from: 'b' }],
      ]);
      expect((await env.runs({ status: 'succeeded' })).map((run) => run.runId)).toHaveLength(5);
      expect(await redis.keys(`sundial:{${env.namespace}}:*`)).not.toEqual([]);

      await env.close();
      expect(await redis.keys(`sundial:{${env.namespace}}:*`)).toEqual([]);
    } finally {
      await closeClient(redis);
    }
  });

  test('without a Redis, starts its own redis-server and stops it on close', async () => {
    const env = await createTestEnvironment({ tasks: [ping] });
    const url = env.redisUrl;
    expect(await accepts(url)).toBe(true);

    await env.close();
    await env.close();

    expect(await accepts(url)).toBe(false);
  });

  test('passes runTask on from @sundial/worker/testing', () => {
    expect(runTask).toBe(workerRunTask);
  });
});
