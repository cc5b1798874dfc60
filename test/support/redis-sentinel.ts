import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { findFreePort } from './free-port';
import { track, untrack, type TrackedProcess } from './process-registry';
import { closeClient } from './redis-client';
import { startRedisServer, type RedisServer } from './redis-server';

/** Options of {@link startSentinelSet}. */
export interface SentinelSetOptions {
  /** Sentinels watching the primary; a quorum of 2 decides a failover. Default: 3. */
  sentinels?: number;
  /** The name the sentinels monitor the primary under. Default: `sundial-primary`. */
  name?: string;
  /** `down-after-milliseconds`: how long the primary may be silent before it counts as down. Default: 1000. */
  downAfterMs?: number;
  /** `failover-timeout`. Default: 5000. */
  failoverTimeoutMs?: number;
}

/** A `redis-server --sentinel` process. */
export interface SentinelProcess {
  readonly port: number;
  readonly pid: number;
  output(): string;
  /** Sends SIGKILL and waits for the exit. */
  kill(): Promise<void>;
}

/** A primary, its replica and the sentinels that watch them, started by {@link startSentinelSet}. */
export interface SentinelSet {
  /** The name the sentinels monitor the primary under, as `REDIS_SENTINEL_NAME` takes it. */
  readonly name: string;
  /** `127.0.0.1:p1,127.0.0.1:p2,...`, as `REDIS_SENTINELS` takes it. */
  readonly sentinelsSetting: string;
  /** The sentinels, as a sentinel `RedisTarget` takes them. */
  readonly sentinelNodes: { host: string; port: number }[];
  /** The primary it started with (kill or pause it to cause a failover). */
  readonly master: RedisServer;
  /** The replica it started with, promoted by a failover. */
  readonly replica: RedisServer;
  readonly sentinels: readonly SentinelProcess[];
  /** The port of the primary the sentinels name now (`SENTINEL get-master-addr-by-name`). */
  currentMaster(): Promise<number>;
  /** Waits until the sentinels name a primary other than `formerPort` (default: the first master) and it accepts writes. */
  waitForFailover(formerPort?: number, timeoutMs?: number): Promise<number>;
  /** What every process logged, for error messages. */
  output(): string;
  /** Stops the sentinels, then the servers, and deletes their directories. */
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 20_000;
const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(what: string, timeoutMs: number, check: () => Promise<boolean>, context: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs} ms:\n${context()}`);
    await delay(100);
  }
}

/** Spawns `redis-server <config> --sentinel` on a free port; resolves once it answers PING. */
async function startSentinel(config: (port: number) => string): Promise<SentinelProcess> {
  const port = await findFreePort();
  const dir = mkdtempSync(join(tmpdir(), 'sundial-sentinel-'));
  const file = join(dir, 'sentinel.conf');
  writeFileSync(file, config(port));
  let log = '';
  const child: ChildProcess = spawn('redis-server', [file, '--sentinel'], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (chunk: Buffer) => (log = (log + chunk.toString('utf8')).slice(-64 * 1024)));
  child.stderr?.on('data', (chunk: Buffer) => (log = (log + chunk.toString('utf8')).slice(-64 * 1024)));
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', () => resolve());
  });
  const kill = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  const tracked: TrackedProcess = { pid: child.pid ?? -1, marker: 'redis-server', perTest: true, stop: kill, cleanUpSync: () => rmSync(dir, { recursive: true, force: true }) };
  track(tracked);
  void exited.then(() => untrack(tracked));
  const probe = new Redis({ port, host: '127.0.0.1', lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
  probe.on('error', () => undefined);
  try {
    await waitFor(`the sentinel on port ${port} did not answer PING`, START_TIMEOUT_MS, async () => {
      if (child.exitCode !== null) throw new Error(`the sentinel exited:\n${log}`);
      if (probe.status === 'end' || probe.status === 'wait') await probe.connect();
      return (await probe.ping()) === 'PONG';
    }, () => log);
  } catch (error) {
    await kill();
    throw error;
  } finally {
    probe.disconnect();
  }
  return { port, pid: child.pid ?? -1, output: () => log, kill };
}

/**
 * Starts a primary (AOF on), one replica (`replicaof`) and `sentinels` sentinels
 * (`sentinel monitor <name> 127.0.0.1 <port> 2`, quick failure detection), on free ports of
 * 127.0.0.1, and resolves once the replica is in sync and every sentinel knows the replica and
 * the other sentinels. Every process is tracked, so `killAllSpawned()` ends them.
 */
export async function startSentinelSet(options: SentinelSetOptions = {}): Promise<SentinelSet> {
  const name = options.name ?? 'sundial-primary';
  const count = options.sentinels ?? 3;
  const downAfter = options.downAfterMs ?? 1_000;
  const failoverTimeout = options.failoverTimeoutMs ?? 5_000;
  const master = await startRedisServer({ appendonly: true });
  const replica = await startRedisServer({ appendonly: true, extraArgs: ['--replicaof', '127.0.0.1', String(master.port)] });
  const sentinels: SentinelProcess[] = [];
  const clients: Redis[] = [];
  let watchers: Redis[] = [];
  const output = (): string =>
    [`--- master ${master.port}:\n${master.output().slice(-3_000)}`, `--- replica ${replica.port}:\n${replica.output().slice(-3_000)}`, ...sentinels.map((s) => `--- sentinel ${s.port}:\n${s.output().slice(-3_000)}`)].join('\n');
  const stop = async (): Promise<void> => {
    await Promise.all(clients.map(closeClient));
    await Promise.all(sentinels.map((sentinel) => sentinel.kill()));
    await Promise.all([master.stop(), replica.stop()]);
  };
  const sentinelClient = (port: number): Redis => {
    const client = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => 200 });
    client.on('error', () => undefined);
    clients.push(client);
    return client;
  };
  try {
    const replicaClient = new Redis({ port: replica.port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 1 });
    clients.push(replicaClient);
    await waitFor('the replica did not sync with the master', START_TIMEOUT_MS, async () => (await replicaClient.info('replication')).includes('master_link_status:up'), output);
    for (let index = 0; index < count; index += 1) {
      sentinels.push(
        await startSentinel((port) =>
          [
            `port ${port}`,
            'bind 127.0.0.1',
            'daemonize no',
            'logfile ""',
            `sentinel monitor ${name} 127.0.0.1 ${master.port} 2`,
            `sentinel down-after-milliseconds ${name} ${downAfter}`,
            `sentinel failover-timeout ${name} ${failoverTimeout}`,
            `sentinel parallel-syncs ${name} 1`,
            '',
          ].join('\n'),
        ),
      );
    }
    watchers = sentinels.map((sentinel) => sentinelClient(sentinel.port));
    await waitFor('the sentinels did not discover the replica and each other', START_TIMEOUT_MS, async () => {
      const views = await Promise.all(watchers.map((client) => client.call('SENTINEL', 'MASTER', name) as Promise<string[]>));
      return views.every((view) => {
        const fields = new Map<string, string>();
        for (let index = 0; index + 1 < view.length; index += 2) fields.set(view[index] as string, view[index + 1] as string);
        return fields.get('num-slaves') === '1' && fields.get('num-other-sentinels') === String(count - 1);
      });
    }, output);
  } catch (error) {
    await stop();
    throw error;
  }

  const currentMaster = async (): Promise<number> => {
    for (const client of watchers) {
      const reply = (await client.call('SENTINEL', 'get-master-addr-by-name', name).catch(() => undefined)) as [string, string] | undefined;
      if (reply) return Number(reply[1]);
    }
    throw new Error(`no sentinel answered get-master-addr-by-name:\n${output()}`);
  };
  return {
    name,
    sentinelsSetting: sentinels.map((sentinel) => `127.0.0.1:${sentinel.port}`).join(','),
    sentinelNodes: sentinels.map((sentinel) => ({ host: '127.0.0.1', port: sentinel.port })),
    master,
    replica,
    sentinels,
    currentMaster,
    async waitForFailover(formerPort = master.port, timeoutMs = 30_000) {
      let promoted = formerPort;
      await waitFor('the sentinels did not fail over', timeoutMs, async () => {
        promoted = await currentMaster();
        if (promoted === formerPort) return false;
        const probe = new Redis({ port: promoted, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
        probe.on('error', () => undefined);
        try {
          return (await probe.info('replication')).includes('role:master');
        } finally {
          probe.disconnect();
        }
      }, output);
      return promoted;
    },
    output,
    stop,
  };
}
