// Finds a Redis for the demo: REDIS_URL, else localhost:6379, else a redis-server started from PATH.
const { spawn, spawnSync } = require('node:child_process');
const { mkdtempSync, rmSync } = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { Redis } = require('ioredis');

async function answers(url) {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1_000 });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
    return true;
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Resolves with `{ url, stop }`; `stop` shuts down a Redis the demo started. */
async function findRedis() {
  if (process.env.REDIS_URL) {
    if (await answers(process.env.REDIS_URL)) return { url: process.env.REDIS_URL, stop: async () => undefined };
    throw new Error(`REDIS_URL (${process.env.REDIS_URL}) does not answer`);
  }
  if (await answers('redis://127.0.0.1:6379')) return { url: 'redis://127.0.0.1:6379', stop: async () => undefined };
  if (spawnSync('redis-server', ['--version']).error) {
    throw new Error('no Redis found: install one (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis) or set REDIS_URL');
  }
  const port = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sundial-demo-redis-'));
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', ''], { stdio: 'ignore' });
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 100 && !(await answers(url)); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  return {
    url,
    started: true,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

module.exports = { findRedis, freePort };
