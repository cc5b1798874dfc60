import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { connect as connectTcp, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as connectTls } from 'node:tls';
import { findFreePort } from './free-port';
import { track, untrack, type TrackedProcess } from './process-registry';

/** TLS files of a server started with {@link RedisServerOptions.tls}. */
export interface RedisServerTlsFiles {
  /** Path of the server certificate (PEM). */
  certFile: string;
  /** Path of its private key (PEM). */
  keyFile: string;
  /** Path of the CA certificate that signed it (PEM). */
  caFile: string;
}

/** Options of {@link startRedisServer}. */
export interface RedisServerOptions {
  /** Turns on the append-only file. Default: off. */
  appendonly?: boolean;
  /** How often the AOF is fsynced. Default: Redis's (`everysec`). */
  appendfsync?: 'always' | 'everysec' | 'no';
  /** More `redis-server` arguments, after Sundial's (so they win), e.g. `['--maxmemory-policy', 'allkeys-lru']`. */
  extraArgs?: string[];
  /** The port. Default: a free one. */
  port?: number;
  /** Serve TLS only (`--tls-port`, plain port off), with client certificates not required. */
  tls?: RedisServerTlsFiles;
  /**
   * Whether the server outlives `killAllSpawned()`: only for the server the global setup shares
   * with the whole run. Default: false.
   */
  sharedByRun?: boolean;
}

/** A `redis-server` process started by {@link startRedisServer}. */
export interface RedisServer {
  /** `redis://127.0.0.1:<port>`, or `rediss://` for a TLS server. */
  readonly url: string;
  readonly port: number;
  /** The pid of the current process (it changes on {@link RedisServer.restart}). */
  readonly pid: number;
  /** The server's own temp directory (`--dir`): AOF and RDB files live here. */
  readonly dir: string;
  /** Whether the process is running (possibly paused). */
  readonly running: boolean;
  /** What the server logged since it was first started. */
  output(): string;
  /** Shuts the server down (SIGTERM; SIGKILL if it hangs), waits for the exit and deletes its directory. */
  stop(): Promise<void>;
  /** Sends a signal (SIGKILL by default) and waits for the exit. The directory stays, for {@link RedisServer.restart}. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Freezes the process (SIGSTOP): connections stay open, nothing is answered. */
  pause(): void;
  /** Unfreezes it (SIGCONT). */
  resume(): void;
  /**
   * Starts the server again on the same port and directory, so it reloads its AOF, after
   * shutting it down first if it still runs; resolves once it answers PING (not `LOADING`).
   */
  restart(): Promise<void>;
}

/** Signal sent, exit awaited: how long a graceful shutdown may take before SIGKILL. */
const SHUTDOWN_GRACE_MS = 10_000;
/** How long a server may take to answer PING after it was spawned. */
const START_TIMEOUT_MS = 20_000;
/** How much of the server's log is kept for error messages. */
const MAX_OUTPUT_CHARS = 64 * 1024;

let available: boolean | undefined;

/** Whether a `redis-server` binary is on the PATH. */
export function redisServerAvailable(): boolean {
  available ??= spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
  return available;
}

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The first reply line to an inline PING, or undefined when the server did not answer. */
function ping(port: number, tls: boolean): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket: Socket = tls
      ? connectTls({ host: '127.0.0.1', port, rejectUnauthorized: false })
      : connectTcp({ host: '127.0.0.1', port });
    let received = '';
    const done = (reply: string | undefined): void => {
      socket.destroy();
      resolve(reply);
    };
    socket.setTimeout(1_000, () => done(undefined));
    socket.once(tls ? 'secureConnect' : 'connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('utf8');
      const end = received.indexOf('\r\n');
      if (end !== -1) done(received.slice(0, end));
    });
    socket.once('error', () => done(undefined));
    socket.once('close', () => done(undefined));
  });
}

function describeExit(exit: Exit): string {
  return exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
}

class RedisServerProcess implements RedisServer {
  private child: ChildProcess | undefined;
  private exit: Promise<Exit> = Promise.resolve({ code: null, signal: null });
  private tracked: TrackedProcess | undefined;
  private log = '';
  private paused = false;
  private removed = false;

  constructor(
    readonly port: number,
    readonly dir: string,
    private readonly args: readonly string[],
    private readonly tls: boolean,
    private readonly sharedByRun: boolean,
  ) {}

  get url(): string {
    return `${this.tls ? 'rediss' : 'redis'}://127.0.0.1:${this.port}`;
  }

  get pid(): number {
    return this.child?.pid ?? -1;
  }

  get running(): boolean {
    return this.child !== undefined;
  }

  output(): string {
    return this.log;
  }

  private append(chunk: Buffer): void {
    this.log += chunk.toString('utf8');
    if (this.log.length > MAX_OUTPUT_CHARS) this.log = this.log.slice(-MAX_OUTPUT_CHARS);
  }

  /** Spawns the process and resolves once it answers PING; rejects (with its log) if it exits first. */
  async spawn(): Promise<void> {
    const child = spawn('redis-server', this.args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const exit = new Promise<Exit>((resolve) => {
      child.once('exit', (code, signal) => resolve({ code, signal }));
      child.once('error', () => resolve({ code: null, signal: null }));
    });
    child.stdout?.on('data', (chunk: Buffer) => this.append(chunk));
    child.stderr?.on('data', (chunk: Buffer) => this.append(chunk));
    const pid = child.pid;
    if (pid === undefined) {
      await exit;
      throw new Error(`redis-server could not be started:\n${this.log}`);
    }
    const tracked: TrackedProcess = {
      pid,
      marker: 'redis-server',
      perTest: !this.sharedByRun,
      stop: () => this.stop(),
      cleanUpSync: () => rmSync(this.dir, { recursive: true, force: true }),
    };
    this.child = child;
    this.exit = exit;
    this.paused = false;
    this.tracked = tracked;
    track(tracked);
    let exited: Exit | undefined;
    void exit.then((result) => {
      exited = result;
      untrack(tracked);
      if (this.child === child) this.child = undefined;
    });

    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      if (exited) throw new Error(`redis-server on port ${this.port} ${describeExit(exited)} before answering PING:\n${this.log}`);
      const reply = await ping(this.port, this.tls);
      // Any reply but LOADING means it serves commands (NOAUTH too, when a password is set).
      if (reply !== undefined && !reply.startsWith('-LOADING')) return;
      if (Date.now() > deadline) {
        await this.kill();
        throw new Error(`redis-server on port ${this.port} did not answer PING within ${START_TIMEOUT_MS} ms:\n${this.log}`);
      }
      await delay(10);
    }
  }

  private signal(signal: NodeJS.Signals): void {
    try {
      this.child?.kill(signal);
    } catch {
      // It exited meanwhile.
    }
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (!this.child) return;
    this.signal(signal);
    // A stopped process acts on a termination signal only once it continues.
    if (this.paused) this.resume();
    await this.exit;
  }

  private async shutdown(): Promise<void> {
    if (!this.child) return;
    const timer = setTimeout(() => this.signal('SIGKILL'), SHUTDOWN_GRACE_MS);
    try {
      await this.kill('SIGTERM');
    } finally {
      clearTimeout(timer);
    }
  }

  async stop(): Promise<void> {
    await this.shutdown();
    if (!this.removed) {
      this.removed = true;
      await rm(this.dir, { recursive: true, force: true });
    }
    if (this.tracked) untrack(this.tracked);
  }

  pause(): void {
    if (!this.child || this.paused) return;
    this.signal('SIGSTOP');
    this.paused = true;
  }

  resume(): void {
    if (!this.child || !this.paused) return;
    this.signal('SIGCONT');
    this.paused = false;
  }

  async restart(): Promise<void> {
    if (this.removed) throw new Error(`redis-server on port ${this.port} was stopped and its directory deleted; it cannot restart`);
    await this.shutdown();
    await this.spawn();
  }
}

function serverArgs(port: number, dir: string, options: RedisServerOptions): string[] {
  const args = ['--bind', '127.0.0.1', '--dir', dir, '--save', '', '--daemonize', 'no', '--logfile', ''];
  if (options.tls) {
    const { certFile, keyFile, caFile } = options.tls;
    args.push('--port', '0', '--tls-port', String(port), '--tls-cert-file', certFile, '--tls-key-file', keyFile);
    args.push('--tls-ca-cert-file', caFile, '--tls-auth-clients', 'no');
  } else {
    args.push('--port', String(port));
  }
  args.push('--appendonly', options.appendonly ? 'yes' : 'no');
  if (options.appendfsync) args.push('--appendfsync', options.appendfsync);
  args.push(...(options.extraArgs ?? []));
  return args;
}

/**
 * Starts a `redis-server` on a free port of 127.0.0.1 (or `options.port`) in a temp directory of
 * its own, with RDB snapshots off (`--save ""`), and resolves once it answers PING. The caller
 * must `stop()` it (for instance in `afterAll`); any server left running is killed by
 * `killAllSpawned()` and when the test process exits.
 *
 * @throws when `redis-server` is missing or exits before answering, with its log in the message
 */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  if (!redisServerAvailable()) throw new Error('redis-server is not on the PATH; install it (Debian: apt-get install redis-server)');
  for (let attempt = 1; ; attempt += 1) {
    const port = options.port ?? (await findFreePort());
    const dir = mkdtempSync(join(tmpdir(), 'sundial-redis-'));
    const server = new RedisServerProcess(port, dir, serverArgs(port, dir, options), options.tls !== undefined, options.sharedByRun ?? false);
    try {
      await server.spawn();
      return server;
    } catch (error) {
      await server.stop();
      // Another process may have bound the free port between the probe and the start.
      const portTaken = server.output().includes('Address already in use');
      if (!portTaken || options.port !== undefined || attempt >= 5) throw error;
    }
  }
}
