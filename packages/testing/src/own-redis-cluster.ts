import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ValidationError } from '@sundial/shared';
import { Redis } from 'ioredis';
import { findFreePort } from './free-port';
import { spawnServer, stopProcess } from './own-redis-server';

/** Options of {@link startOwnRedisCluster}. */
export interface OwnRedisClusterOptions {
  /** Masters, without replicas; the 16384 slots are split evenly between them. @defaultValue 3 (the least Redis accepts) */
  masters?: number;
}

/** A node of an {@link OwnRedisCluster}. */
export interface OwnRedisClusterNode {
  readonly host: string;
  readonly port: number;
  /** The process id of its `redis-server`, e.g. to read its CPU time. */
  readonly pid: number;
}

/** A Redis Cluster of `redis-server` processes {@link startOwnRedisCluster} started. */
export interface OwnRedisCluster {
  /** Its masters. */
  readonly nodes: readonly OwnRedisClusterNode[];
  /** `127.0.0.1:p1,127.0.0.1:p2,...`, as `REDIS_CLUSTER_NODES` takes it. */
  readonly nodesSetting: string;
  /** Stops every node and deletes their directories. */
  stop(): Promise<void>;
}

/** How long `redis-cli --cluster create` and the agreement on `cluster_state:ok` may take. */
const READY_TIMEOUT_MS = 30_000;
const HASH_SLOTS = 16_384;
const ATTEMPTS = 5;

interface StartedNode {
  port: number;
  child: ChildProcess;
  dir: string;
}

/** Starts one `--cluster-enabled` node on free ports (client and bus), retrying when another process took a port first. */
async function startNode(): Promise<StartedNode> {
  for (let attempt = 1; ; attempt++) {
    const port = await findFreePort();
    // The bus port is given explicitly: the default (port + 10000) may be above 65535 or taken.
    const busPort = await findFreePort();
    const dir = await mkdtemp(join(tmpdir(), 'sundial-testing-cluster-'));
    try {
      const child = await spawnServer(port, dir, ['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-port', String(busPort)]);
      return { port, child, dir };
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      const portTaken = String((error as { log?: string }).log ?? '').includes('Address already in use');
      if (!portTaken || attempt >= ATTEMPTS) throw error;
    }
  }
}

/** Runs `redis-cli --cluster create` over `addresses`; resolves once it succeeded. */
function createCluster(addresses: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('redis-cli', ['--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), READY_TIMEOUT_MS);
    child.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(new Error(error.code === 'ENOENT' ? 'redis-cli is not on the PATH: install Redis (Debian: apt-get install redis-server, which brings redis-cli)' : error.message));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`redis-cli --cluster create ${signal ? `was killed by ${signal}` : `exited with code ${code}`}:\n${output}`));
    });
  });
}

/** Whether every node reports `cluster_state:ok` with every slot assigned and every node known. */
async function clusterReady(clients: readonly Redis[]): Promise<boolean> {
  const infos = await Promise.all(clients.map((client) => client.cluster('INFO').catch(() => '')));
  return infos.every((info) => info.includes('cluster_state:ok') && info.includes(`cluster_slots_assigned:${HASH_SLOTS}`) && info.includes(`cluster_known_nodes:${clients.length}`));
}

/**
 * Starts a Redis Cluster of `masters` `redis-server` processes from the PATH on free ports of
 * 127.0.0.1, each in a temp directory of its own without persistence, joins them with
 * `redis-cli --cluster create --cluster-replicas 0`, and resolves once every node reports
 * `cluster_state:ok`. The nodes are killed when this process exits, if not stopped before.
 *
 * @throws ValidationError naming `masters` when it is not an integer ≥ 3
 * @throws when `redis-server` or `redis-cli` is missing or the cluster does not form, saying so
 */
export async function startOwnRedisCluster(options: OwnRedisClusterOptions = {}): Promise<OwnRedisCluster> {
  const masters = options.masters ?? 3;
  if (!Number.isInteger(masters) || masters < 3) throw new ValidationError('masters', `expected an integer ≥ 3 (a Redis Cluster needs three masters), got ${masters}`);
  const started: StartedNode[] = [];
  const killOnExit = (): void => {
    for (const node of started) node.child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      process.removeListener('exit', killOnExit);
      await Promise.all(started.map((node) => stopProcess(node.child)));
      await Promise.all(started.map((node) => rm(node.dir, { recursive: true, force: true })));
    })());
  const clients: Redis[] = [];
  try {
    for (let index = 0; index < masters; index++) started.push(await startNode());
    await createCluster(started.map((node) => `127.0.0.1:${node.port}`));
    for (const node of started) clients.push(new Redis({ host: '127.0.0.1', port: node.port, lazyConnect: true, maxRetriesPerRequest: 1 }));
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (!(await clusterReady(clients))) {
      if (Date.now() > deadline) throw new Error(`the cluster did not reach cluster_state:ok within ${READY_TIMEOUT_MS} ms`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } catch (error) {
    await stop();
    throw error;
  } finally {
    for (const client of clients) client.disconnect();
  }
  const nodes = started.map((node) => ({ host: '127.0.0.1', port: node.port, pid: node.child.pid ?? -1 }));
  return { nodes, nodesSetting: nodes.map((node) => `${node.host}:${node.port}`).join(','), stop };
}
