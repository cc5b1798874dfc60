import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { ValidationError } from '../errors';

/** Where the health server reports problems it handles itself (a failing metric collection or readiness check). */
export interface HealthServerLogger {
  warn(details: object, message: string): void;
}

/** Options of {@link startHealthServer}. */
export interface HealthServerOptions {
  /** The port to listen on; 0 picks a free one (see {@link HealthServer.port}). */
  readonly port: number;
  /** The address to listen on. @defaultValue `0.0.0.0` */
  readonly host?: string;
  /** The metrics `GET /metrics` serves. */
  readonly registry: Registry;
  /** Whether the process is ready to work; `GET /readyz` answers 200 when it is, else 503. A check that throws counts as not ready. */
  readonly ready: () => Promise<boolean> | boolean;
  readonly logger?: HealthServerLogger;
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

function send(response: ServerResponse, status: number, body: string, contentType = 'text/plain; charset=utf-8'): void {
  response.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' });
  response.end(body);
}

/**
 * Serves `GET /metrics` (the registry in Prometheus text format), `GET /healthz` (200 `ok` while
 * the process runs) and `GET /readyz` (200 `ready`, or 503 `not ready`, as `ready()` says) over
 * plain HTTP. Other paths answer 404, other methods 405.
 *
 * @throws ValidationError naming `port` (or `field`) for a port out of range or already in use
 */
export async function startHealthServer(options: HealthServerOptions): Promise<HealthServer> {
  const { port, host = '0.0.0.0', registry, ready, logger, field = 'port' } = options;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new ValidationError(field, `expected a port number from 0 to 65535, got ${String(port)}`);

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const path = (request.url ?? '/').split('?')[0];
    if (path !== '/metrics' && path !== '/healthz' && path !== '/readyz') return send(response, 404, 'not found\n');
    if (request.method !== 'GET' && request.method !== 'HEAD') return send(response, 405, 'method not allowed\n');
    if (path === '/healthz') return send(response, 200, 'ok\n');
    if (path === '/readyz') {
      let isReady = false;
      try {
        isReady = await ready();
      } catch (error) {
        logger?.warn({ err: error }, 'readiness check failed');
      }
      return isReady ? send(response, 200, 'ready\n') : send(response, 503, 'not ready\n');
    }
    try {
      send(response, 200, await registry.metrics(), registry.contentType);
    } catch (error) {
      logger?.warn({ err: error }, 'collecting metrics failed');
      send(response, 500, 'collecting metrics failed\n');
    }
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
