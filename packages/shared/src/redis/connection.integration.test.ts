import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueueEvents, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { findFreePort } from '../../../../test/support/free-port';
import { deleteNamespace, testRedisUrl, uniqueNamespace } from '../../../../test/support/namespace';
import { killAllSpawned } from '../../../../test/support/processes';
import { closeClient } from '../../../../test/support/redis-client';
import { startRedisServer, type RedisServer } from '../../../../test/support/redis-server';
import { createTestCertificates, opensslAvailable, type TestCertificates } from '../../../../test/support/tls-certificates';
import { connectRedis, createRedisConnection } from './connection';
import { RedisConnectionError } from './redis-connection-error';

/** The test Redis URL with other credentials and database. */
function urlWith(base: string, credentials: { username?: string; password?: string; db?: number }): string {
  const url = new URL(base);
  url.username = credentials.username === undefined ? '' : encodeURIComponent(credentials.username);
  url.password = credentials.password === undefined ? '' : encodeURIComponent(credentials.password);
  if (credentials.db !== undefined) url.pathname = `/${credentials.db}`;
  return url.toString();
}

async function connectionError(attempt: Promise<Redis>): Promise<RedisConnectionError> {
  try {
    await closeClient(await attempt);
  } catch (error) {
    if (error instanceof RedisConnectionError) return error;
    throw error;
  }
  throw new Error('expected the connection to fail');
}

describe('Redis connections', () => {
  const clients: Redis[] = [];
  const servers: RedisServer[] = [];
  let admin: Redis;
  let namespace: string;

  async function open(url: string, options?: Parameters<typeof connectRedis>[1]): Promise<Redis> {
    const redis = await connectRedis(url, options);
    clients.push(redis);
    return redis;
  }

  beforeAll(async () => {
    namespace = uniqueNamespace('connection');
    admin = await open(testRedisUrl(), { connectionName: 'sundial:test-admin' });
  });

  afterAll(async () => {
    await deleteNamespace(admin, namespace);
    await Promise.all(clients.map(closeClient));
    await Promise.all(servers.map((server) => server.stop()));
    await killAllSpawned();
  });

  describe('with an ACL user', () => {
    const username = `sundial-test-${randomBytes(4).toString('hex')}`;
    const password = `pw:${randomBytes(8).toString('hex')}/@`;

    beforeAll(async () => {
      await admin.acl('SETUSER', username, 'reset', 'on', `>${password}`, `~sundial:{${namespace}}:*`, '&*', '+@all');
    });

    afterAll(async () => {
      await admin.acl('DELUSER', username);
    });

    it('connects with the user name and password of the URL, under its connection name', async () => {
      // Closed before the user is deleted, which would make it reconnect and fail.
      const redis = await connectRedis(urlWith(testRedisUrl(), { username, password }), { connectionName: 'sundial:test' });
      try {
        expect(await redis.acl('WHOAMI')).toBe(username);
        expect(await redis.client('GETNAME')).toBe('sundial:test');
        await redis.set(`sundial:{${namespace}}:acl`, 'ok');
        expect(await admin.get(`sundial:{${namespace}}:acl`)).toBe('ok');
        // The ACL applies: keys outside the user's pattern are refused.
        await expect(redis.get('elsewhere')).rejects.toThrow(/NOPERM/);
      } finally {
        await closeClient(redis);
      }
    });

    it('fails at once with a clear error on a wrong password, without showing it', async () => {
      const error = await connectionError(connectRedis(urlWith(testRedisUrl(), { username, password: 'wrong-password' })));
      expect(error.code).toBe('REDIS_CONNECTION_FAILED');
      expect(error.message).toMatch(/WRONGPASS/);
      expect(error.message).toMatch(/check the user name and password in REDIS_URL/);
      expect(error.message).toContain(`${username}:***@`);
      expect(error.message).not.toContain('wrong-password');
    });
  });

  it('selects the database of the URL path', async () => {
    const redis = await open(urlWith(testRedisUrl(), { db: 3 }));
    expect(await redis.client('INFO')).toMatch(/ db=3 /);
  });

  it('authenticates with a password alone', async () => {
    const server = await startRedisServer({ extraArgs: ['--requirepass', 'only-a-password'] });
    servers.push(server);
    const redis = await open(urlWith(server.url, { password: 'only-a-password' }));
    expect(await redis.ping()).toBe('PONG');

    const missing = await connectionError(connectRedis(server.url));
    expect(missing.message).toMatch(/NOAUTH/);
  });

  it('fails at once with a clear error when nothing listens', async () => {
    const port = await findFreePort();
    const error = await connectionError(connectRedis(`redis://127.0.0.1:${port}`));
    expect(error.message).toMatch(/ECONNREFUSED/);
    expect(error.message).toMatch(/is Redis running/);
  });

  it('gives BullMQ workers and queue events the blocking connections they require', async () => {
    const prefix = `sundial:{${namespace}}:bull`;
    const blocking = createRedisConnection(testRedisUrl(), { blocking: true, connectionName: 'sundial:test-worker' });
    clients.push(blocking);
    const worker = new Worker('probe', async () => undefined, { connection: blocking, prefix, autorun: false });
    const events = new QueueEvents('probe', { connection: blocking, prefix, autorun: false });
    try {
      await worker.waitUntilReady();
      await events.waitUntilReady();
    } finally {
      await worker.close();
      await events.close();
    }

    const plain = createRedisConnection(testRedisUrl(), { lazyConnect: true });
    clients.push(plain);
    expect(() => new Worker('probe', async () => undefined, { connection: plain, prefix, autorun: false })).toThrow(/maxRetriesPerRequest must be null/);
  });

  describe('over TLS (rediss://)', () => {
    let certificates: TestCertificates;
    let certificateDir: string;
    let server: RedisServer;

    beforeAll(async () => {
      if (!opensslAvailable()) throw new Error('these tests need the openssl command to create certificates; install openssl');
      certificateDir = mkdtempSync(join(tmpdir(), 'sundial-tls-'));
      certificates = createTestCertificates(certificateDir);
      try {
        server = await startRedisServer({ tls: certificates });
      } catch (error) {
        const log = error instanceof Error ? error.message : String(error);
        if (/tls/i.test(log)) throw new Error(`this redis-server cannot serve TLS (it needs a build with BUILD_TLS=yes):\n${log}`);
        throw error;
      }
      servers.push(server);
    });

    afterAll(() => {
      rmSync(certificateDir, { recursive: true, force: true });
    });

    it('connects when the CA is trusted', async () => {
      expect(server.url).toMatch(/^rediss:\/\/127\.0\.0\.1:\d+$/);
      const redis = await open(server.url, { tls: { ca: certificates.ca } });
      expect(await redis.ping()).toBe('PONG');
    });

    it('refuses a certificate it cannot verify, with a clear error', async () => {
      const error = await connectionError(connectRedis(server.url));
      expect(error.message).toMatch(/certificate/);
      expect(error.message).toMatch(/trust its certificate authority/);
    });

    it('connects without verification only when told to', async () => {
      const redis = await open(server.url, { tls: { rejectUnauthorized: false } });
      expect(await redis.ping()).toBe('PONG');
    });

    it('checks the host name against the certificate', async () => {
      const error = await connectionError(connectRedis(server.url, { tls: { ca: certificates.ca, servername: 'cache.example.com' } }));
      expect(error.message).toMatch(/cache\.example\.com/);
    });

    it('fails clearly when a plain connection reaches a TLS port', async () => {
      const error = await connectionError(connectRedis(server.url.replace('rediss://', 'redis://')));
      expect(error).toBeInstanceOf(RedisConnectionError);
    });
  });
});
