import { existsSync } from 'node:fs';
import { Redis } from 'ioredis';
import { killAllSpawned } from './processes';
import { closeClient } from './redis-client';
import { startRedisServer, type RedisServer } from './redis-server';

/** A client that gives up when the server goes away, so a killed server leaves nothing pending. */
function client(server: RedisServer): Redis {
  const redis = new Redis(server.url, { lazyConnect: true, retryStrategy: () => null });
  redis.on('error', () => undefined);
  return redis;
}

describe('startRedisServer', () => {
  afterAll(killAllSpawned);

  it('keeps writes across a SIGKILL and restart when the AOF is fsynced always', async () => {
    const server = await startRedisServer({ appendonly: true, appendfsync: 'always' });
    const before = client(server);
    try {
      await before.connect();
      await before.set('sundial:{support}:durable', 'yes');
      const firstPid = server.pid;
      await server.kill();
      expect(server.running).toBe(false);

      await server.restart();
      expect(server.pid).not.toBe(firstPid);
      const after = client(server);
      try {
        await after.connect();
        expect(await after.get('sundial:{support}:durable')).toBe('yes');
      } finally {
        await closeClient(after);
      }
    } finally {
      await closeClient(before);
      await server.stop();
    }
    expect(existsSync(server.dir)).toBe(false);
  });

  it('answers a command issued while paused once resumed', async () => {
    const server = await startRedisServer();
    const redis = client(server);
    try {
      await redis.connect();
      server.pause();
      let answered = false;
      const reply = redis.ping().then((pong) => {
        answered = true;
        return pong;
      });
      // A stopped process cannot answer; give the reply a chance to arrive if it somehow could.
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(answered).toBe(false);
      server.resume();
      await expect(reply).resolves.toBe('PONG');
    } finally {
      await closeClient(redis);
      await server.stop();
    }
  });

  it('rejects with the server log when redis-server refuses its arguments', async () => {
    await expect(startRedisServer({ extraArgs: ['--no-such-directive', 'x'] })).rejects.toThrow(/no-such-directive/);
  });
});
