import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MetricsSource } from './combined-registry';
import { ValidationError } from '../errors';

/** Where the health server reports problems it handles itself (a failing metric collection or readiness check). */
export interface HealthServerLogger {
  warn(details: object, message: string): void;
}

/** What the probe endpoints report. */
export interface ProbeSources {
  /** The metrics `GET /metrics` serves. */
  readonly registry: MetricsSource;
  /** Whether the process is ready to work; `GET /readyz` answers 200 when it is, else 503. A check that throws counts as not ready. */
  readonly ready: () => Promise<boolean> | boolean;
  /**
   * Whether the process's loops are still ticking; `GET /healthz` answers 200 when they are, else
   * 503 (Kubernetes then restarts the process). Redis being down is not a liveness failure.
   * @defaultValue always alive
   */
  readonly alive?: () => boolean;
  readonly logger?: HealthServerLogger;
}

/** The paths {@link answerProbe} answers. */
export const PROBE_PATHS = ['/metrics', '/healthz', '/readyz'] as const;

/** An HTTP answer: status, body and content type. */
export interface ProbeAnswer {
  readonly status: number;
  readonly body: string;
  readonly contentType: string;
}

const TEXT = 'text/plain; charset=utf-8';

/**
 * The answer to `GET` on one of {@link PROBE_PATHS}: the metrics in Prometheus text format,
 * liveness (`ok`, or 503 `not alive`) or readiness (`ready`, or 503 `not ready`).
 */
export async function answerProbe(path: (typeof PROBE_PATHS)[number], sources: ProbeSources): Promise<ProbeAnswer> {
  const { registry, ready, alive, logger } = sources;
  if (path === '/healthz') return alive === undefined || alive() ? { status: 200, body: 'ok\n', contentType: TEXT } : { status: 503, body: 'not alive\n', contentType: TEXT };
  if (path === '/readyz') {
    let isReady = false;
    try {
      isReady = await ready();
    } catch (error) {
      logger?.warn({ err: error }, 'readiness check failed');
    }
    return isReady ? { status: 200, body: 'ready\n', contentType: TEXT } : { status: 503, body: 'not ready\n', contentType: TEXT };
  }
  try {
    return { status: 200, body: await registry.metrics(), contentType: registry.contentType };
  } catch (error) {
    logger?.warn({ err: error }, 'collecting metrics failed');
    return { status: 500, body: 'collecting metrics failed\n', contentType: TEXT };
  }
}

/** Options of {@link startHealthServer}. */
export interface HealthServerOptions extends ProbeSources {
  /** The port to listen on; 0 picks a free one (see {@link HealthServer.port}). */
  readonly port: number;
  /** The address to listen on. @defaultValue `0.0.0.0` */
  readonly host?: string;
  /** The option or flag a port error names. @defaultValue `port` */
  readonly field?: string;
}

/** A running health server. */
export interface HealthServer {
  /** The port it listens on (the one picked, when asked for port 0). */
  readonly port: number;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

function send(response: ServerResponse, status: number, body: string, contentType = TEXT): void {
  response.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' });
  response.end(body);
}

/**
 * Serves the probe endpoints (see {@link answerProbe}) over plain HTTP. Other paths answer 404,
 * other methods 405.
 *
 * @throws ValidationError naming `port` (or `field`) for a port out of range or already in use
 */
export async function startHealthServer(options: HealthServerOptions): Promise<HealthServer> {
  const { port, host = '0.0.0.0', logger, field = 'port' } = options;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new ValidationError(field, `expected a port number from 0 to 65535, got ${String(port)}`);

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const path = PROBE_PATHS.find((candidate) => candidate === (request.url ?? '/').split('?')[0]);
    if (path === undefined) return send(response, 404, 'not found\n');
    if (request.method !== 'GET' && request.method !== 'HEAD') return send(response, 405, 'method not allowed\n');
    const answer = await answerProbe(path, options);
    send(response, answer.status, answer.body, answer.contentType);
  };

  const server = createServer((request, response) => void handle(request, response).catch(() => response.destroy()));
  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      if (error.code === 'EADDRINUSE') reject(new ValidationError(field, `port ${port} is already in use`, { cause: error }));
      else if (error.code === 'EACCES') reject(new ValidationError(field, `no permission to listen on port ${port}`, { cause: error }));
      else reject(error);
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  server.on('error', (error) => logger?.warn({ err: error }, 'health server error'));

  let closing: Promise<void> | undefined;
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      })),
  };
}
