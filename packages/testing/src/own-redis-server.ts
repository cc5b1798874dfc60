import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort } from './free-port';

/** A `redis-server` a test environment started for itself. */
export interface OwnRedisServer {
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  /** Shuts the server down and deletes its directory. */
  stop(): Promise<void>;
}

/** How long the server may take to answer PING. */
const START_TIMEOUT_MS = 10_000;
/** How long a shutdown may take before the process is killed. */
const STOP_TIMEOUT_MS = 5_000;
const ATTEMPTS = 5;


/** Whether the server on `port` answers an inline PING with PONG. */
function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let received = '';
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('utf8');
      if (received.includes('\r\n')) done(received.startsWith('+PONG'));
    });
    socket.once('error', () => done(false));
  });
}

/**
 * Spawns one server without persistence on `port` of 127.0.0.1, working in `dir`, with `extraArgs`
 * after the defaults; resolves once it answers PING, rejects with its log (also as `log`) when it
 * exits first or stays silent.
 */
export async function spawnServer(port: number, dir: string, extraArgs: readonly string[] = []): Promise<ChildProcess> {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--logfile', '', ...extraArgs];
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString('utf8')));
  let exited: string | undefined;
  child.once('error', (error: NodeJS.ErrnoException) => {
    exited = error.code === 'ENOENT' ? 'not found' : error.message;
  });
  child.once('exit', (code, signal) => (exited ??= signal ? `killed by ${signal}` : `exited with code ${code}`));
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (exited === 'not found') throw new Error('redis-server is not on the PATH: install Redis (Debian: apt-get install redis-server), or pass { redis: "redis://..." } to use a running one');
    if (exited) throw Object.assign(new Error(`redis-server on port ${port} ${exited} before answering:\n${log}`), { log });
    if (await answersPing(port)) return child;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`redis-server on port ${port} did not answer within ${START_TIMEOUT_MS} ms:\n${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** SIGTERM, then SIGKILL after 5 s; resolves once the process has exited (at once if it had). */
export function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * Starts a `redis-server` from the PATH on a free port of 127.0.0.1, in a temp directory of its
 * own, without persistence. It is killed when this process exits, if not stopped before.
 *
 * @throws when `redis-server` is missing or does not start, saying so
 */
export async function startOwnRedisServer(): Promise<OwnRedisServer> {
  for (let attempt = 1; ; attempt++) {
    const port = await findFreePort();
    const dir = await mkdtemp(join(tmpdir(), 'sundial-testing-redis-'));
    let child: ChildProcess;
    try {
      child = await spawnServer(port, dir);
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      // Another process may have bound the port between the probe and the start.
      const portTaken = String((error as { log?: string }).log ?? '').includes('Address already in use');
      if (!portTaken || attempt >= ATTEMPTS) throw error;
      continue;
    }
    const killOnExit = (): void => void child.kill('SIGKILL');
    process.once('exit', killOnExit);
    let stopping: Promise<void> | undefined;
    return {
      url: `redis://127.0.0.1:${port}`,
      stop: () =>
        (stopping ??= (async () => {
          process.removeListener('exit', killOnExit);
          await stopProcess(child);
          await rm(dir, { recursive: true, force: true });
        })()),
    };
  }
}
