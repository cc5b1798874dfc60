import { spawnSync } from 'node:child_process';
import { Redis } from 'ioredis';
import { closeClient } from './redis-client';
import { startRedisServer, type RedisServer } from './redis-server';

/** Options of {@link startRedisCluster}. */
export interface RedisClusterOptions {
  /** Masters; the 16384 slots are split evenly between them. Default: 3 (the least Redis accepts). */
  masters?: number;
  /** Replicas of each master. Default: 0. */
  replicasPerMaster?: number;
  /** `cluster-node-timeout` in ms: how soon a silent master counts as failed. Default: 2000. */
  nodeTimeoutMs?: number;
}

/** A node of a {@link RedisCluster}: its server process. */
export interface RedisClusterNode {
  readonly host: string;
  readonly port: number;
  readonly server: RedisServer;
}

/** A Redis Cluster of real `redis-server` processes, started by {@link startRedisCluster}. */
export interface RedisCluster {
  readonly nodes: readonly RedisClusterNode[];
  /** `127.0.0.1:p1,127.0.0.1:p2,...`, as `REDIS_CLUSTER_NODES` takes it. */
  readonly nodesSetting: string;
  /** The startup nodes, as a cluster `RedisTarget` takes them. */
  readonly startupNodes: { host: string; port: number }[];
  /** The slot of a key (`CLUSTER KEYSLOT`). */
  slotOf(key: string): Promise<number>;
  /** The node that serves a slot, or the slot of a key, as master now (`CLUSTER SLOTS`). */
  masterFor(slotOrKey: number | string): Promise<RedisClusterNode>;
  /** What every node logged, for error messages. */
  output(): string;
  /** Stops every node and deletes their directories. */
  stop(): Promise<void>;
}

/** How long the cluster may take to agree that every slot is served. */
const READY_TIMEOUT_MS = 30_000;
const HASH_SLOTS = 16_384;

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Whether every node reports `cluster_state:ok` with every slot assigned and every node known. */
async function clusterReady(clients: readonly Redis[], nodeCount: number): Promise<boolean> {
  const infos = await Promise.all(clients.map((client) => client.cluster('INFO').catch(() => '')));
  return infos.every(
    (info) => info.includes('cluster_state:ok') && info.includes(`cluster_slots_assigned:${HASH_SLOTS}`) && info.includes(`cluster_known_nodes:${nodeCount}`),
  );
}

/**
 * Starts a Redis Cluster on 127.0.0.1: one `redis-server --cluster-enabled yes` per node, each on
 * a free port in a temp directory of its own, joined with `redis-cli --cluster create`, and
 * resolves once every node reports `cluster_state:ok`. The nodes are tracked like any server
 * `startRedisServer` starts, so `killAllSpawned()` ends them; call `stop()` in `afterAll`.
 *
 * @throws when `redis-cli` is missing or the cluster does not form, with the logs in the message
 */
export async function startRedisCluster(options: RedisClusterOptions = {}): Promise<RedisCluster> {
  const masters = options.masters ?? 3;
  const replicas = options.replicasPerMaster ?? 0;
  const nodeTimeout = options.nodeTimeoutMs ?? 2_000;
  if (spawnSync('redis-cli', ['--version'], { stdio: 'ignore' }).status !== 0) {
    throw new Error('redis-cli is not on the PATH; install it (Debian: apt-get install redis-tools, or redis-server which brings it)');
  }
  const servers: RedisServer[] = [];
  const clients: Redis[] = [];
  const output = (): string => servers.map((server) => `--- node ${server.port}:\n${server.output().slice(-4_000)}`).join('\n');
  const stop = async (): Promise<void> => {
    await Promise.all(clients.map(closeClient));
    await Promise.all(servers.map((server) => server.stop()));
  };
  try {
    for (let index = 0; index < masters * (1 + replicas); index += 1) {
      servers.push(
        await startRedisServer({
          extraArgs: ['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', String(nodeTimeout), '--appendonly', 'yes'],
        }),
      );
    }
    const addresses = servers.map((server) => `127.0.0.1:${server.port}`);
    const created = spawnSync('redis-cli', ['--cluster', 'create', ...addresses, '--cluster-replicas', String(replicas), '--cluster-yes'], { encoding: 'utf8', timeout: READY_TIMEOUT_MS });
    if (created.status !== 0) throw new Error(`redis-cli --cluster create failed (${created.status ?? created.signal}):\n${created.stdout}\n${created.stderr}`);
    for (const server of servers) clients.push(new Redis({ host: '127.0.0.1', port: server.port, lazyConnect: true, maxRetriesPerRequest: 1 }));
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (!(await clusterReady(clients, servers.length))) {
      if (Date.now() > deadline) throw new Error(`the cluster did not reach cluster_state:ok within ${READY_TIMEOUT_MS} ms:\n${output()}`);
      await delay(100);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  const nodes: RedisClusterNode[] = servers.map((server) => ({ host: '127.0.0.1', port: server.port, server }));
  const [admin] = clients as [Redis];
  const slotOf = async (key: string): Promise<number> => Number(await admin.cluster('KEYSLOT', key));
  return {
    nodes,
    nodesSetting: nodes.map((node) => `${node.host}:${node.port}`).join(','),
    startupNodes: nodes.map(({ host, port }) => ({ host, port })),
    slotOf,
    async masterFor(slotOrKey) {
      const slot = typeof slotOrKey === 'number' ? slotOrKey : await slotOf(slotOrKey);
      const ranges = await admin.cluster('SLOTS');
      const range = ranges.find(([first, last]) => slot >= first && slot <= last);
      const node = nodes.find((candidate) => candidate.port === range?.[2]?.[1]);
      if (!node) throw new Error(`no master serves slot ${slot}`);
      return node;
    },
    output,
    stop,
  };
}
