import { PROBE_PATHS, REDACTED_LOG_PATHS, ValidationError, answerProbe, type ProbeSources, type SundialOperations } from '@sundial/shared';
import fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { packageVersion } from '../cli/version';
import type { Logger } from '../logger';
import { ACCESS_TOKEN_PARAMETER, type ApiRoute, type RouteServices } from './api-route';
import type { ApiAuth } from './auth';
import { registerDashboard } from './dashboard-assets';
import { errorReply, noRouteReply } from './errors';
import { OPENAPI_PATH, openApiDocument } from './openapi';
import { clusterRoutes } from './routes/cluster';
import { eventRoutes } from './routes/events';
import { runRoutes } from './routes/runs';
import { scheduleRoutes } from './routes/schedules';
import { parseInput } from './schemas';

/** The largest request body accepted: 1 MiB. */
export const API_BODY_LIMIT_BYTES = 1024 * 1024;

/** How often an event stream sends a keep-alive comment by default. */
export const EVENT_STREAM_KEEP_ALIVE_MS = 15_000;

/** Every route of the admin API under `/api/v1`. */
export const API_ROUTES: readonly ApiRoute[] = [...scheduleRoutes, ...runRoutes, ...clusterRoutes, ...eventRoutes];

/** Options of {@link buildAdminApp}. */
export interface AdminAppOptions {
  /** What the routes carry out: a `SundialClient` on the coordinator's connection. */
  readonly operations: SundialOperations;
  /** What `/metrics`, `/healthz` and `/readyz` report; `ready` also tells a Redis outage (503) from a bug (500). */
  readonly probes: ProbeSources;
  /** Who may call the `/api/v1` routes. */
  readonly auth: ApiAuth;
  readonly logger: Logger;
  /** How often an event stream sends a `: keep-alive` comment. @defaultValue 15,000 ms */
  readonly keepAliveMs?: number;
  /** The directory of the built dashboard served at `/`. @defaultValue this package's `dist/ui` */
  readonly dashboardDirectory?: string;
}

/** Options of {@link startAdminServer}. */
export interface AdminServerOptions extends AdminAppOptions {
  /** The port to listen on; 0 picks a free one (see {@link AdminServer.port}). */
  readonly port: number;
  /** The address to listen on. @defaultValue `0.0.0.0` */
  readonly host?: string;
  /** The option or flag a port error names. @defaultValue `port` */
  readonly field?: string;
}

/** A running admin server. */
export interface AdminServer {
  /** The port it listens on (the one picked, when asked for port 0). */
  readonly port: number;
  /** Ends the open event streams, stops listening and closes open connections. */
  close(): Promise<void>;
}

/** A body for routes that take none: nothing, or `{}`. */
const NO_BODY = z.strictObject({}).optional();

/**
 * The credentials of a request: its `Authorization` header, or for a route that takes it (the
 * event stream, which a browser's `EventSource` opens without headers) the `access_token` query
 * parameter. URLs are never logged with their query string, so the token is not either.
 */
function authorizationOf(route: ApiRoute, request: FastifyRequest): string | undefined {
  if (request.headers.authorization !== undefined || !route.acceptsQueryToken) return request.headers.authorization;
  const token = (request.query as Record<string, unknown> | undefined)?.[ACCESS_TOKEN_PARAMETER];
  return typeof token === 'string' && token !== '' ? `Bearer ${token}` : undefined;
}

async function isRedisAvailable(probes: ProbeSources): Promise<boolean> {
  try {
    return await probes.ready();
  } catch {
    return false;
  }
}

/**
 * Builds the admin API (not listening): the probe endpoints, the OpenAPI document and the
 * dashboard (`/`, `/ui/*`) for everyone, the `/api/v1` routes behind the bearer-token check, JSON errors for everything
 * else. Tests use it with `app.inject`; {@link startAdminServer} serves it.
 */
export async function buildAdminApp(options: AdminAppOptions): Promise<FastifyInstance> {
  const { operations, probes, auth } = options;
  const log = options.logger.child({ component: 'admin-api' }, { redact: { paths: REDACTED_LOG_PATHS, censor: '[redacted]' } });
  // fastify's own logger stays off: it would log requests; the API logs only its failures, with `log`.
  const app = fastify({ logger: false, bodyLimit: API_BODY_LIMIT_BYTES, forceCloseConnections: true, return503OnClosing: true });
  const services: RouteServices = { operations, keepAliveMs: options.keepAliveMs ?? EVENT_STREAM_KEEP_ALIVE_MS, openStreams: new Set(), log };

  app.removeAllContentTypeParsers();
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body.toString();
    if (text.trim() === '') return done(null, undefined);
    parseJson(request, text, (error: Error | null, value?: unknown) => {
      if (error) done(new ValidationError('body', `expected a JSON document: ${error.message}`), undefined);
      else done(null, value);
    });
  });

  app.setErrorHandler(async (error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const answer = errorReply(error, await isRedisAvailable(probes));
    if (answer.internal) log.error({ err: error, method: request.method, url: request.url.split('?')[0] }, 'admin API request failed');
    if (answer.status === 401) void reply.header('www-authenticate', 'Bearer');
    return reply.code(answer.status).send(answer.body);
  });
  app.setNotFoundHandler((request, reply) => {
    const answer = noRouteReply(request.method, request.url);
    return reply.code(answer.status).send(answer.body);
  });
  app.addHook('preClose', async () => {
    await Promise.all([...services.openStreams].map((close) => close()));
  });

  for (const path of PROBE_PATHS) {
    app.get(path, async (_request, reply) => {
      const answer = await answerProbe(path, probes);
      return reply.code(answer.status).header('content-type', answer.contentType).header('cache-control', 'no-store').send(answer.body);
    });
  }
  const document = JSON.stringify(openApiDocument(API_ROUTES, packageVersion()));
  app.get(OPENAPI_PATH, async (_request, reply) => reply.header('content-type', 'application/json; charset=utf-8').send(document));
  registerDashboard(app, options.dashboardDirectory === undefined ? {} : { directory: options.dashboardDirectory });

  for (const route of API_ROUTES) {
    app.route({
      method: route.method,
      url: route.path.replace(/\{(\w+)\}/g, ':$1'),
      // Authorization comes first, before the body is read, so 401 and 403 reveal nothing about
      // what exists or what a body would have said.
      onRequest: async (request, reply) => {
        const decision = auth.authorize(authorizationOf(route, request), request.ip, route.scope);
        if (decision.allowed) return;
        if (decision.status === 401) void reply.header('www-authenticate', 'Bearer');
        await reply.code(decision.status).send({ error: { code: decision.code, message: decision.message } });
      },
      handler: async (request, reply) => {
        const params = parseInput(route.params, request.params, 'path');
        const query = parseInput(route.query, request.query, 'query');
        const body = route.body === undefined ? parseInput(NO_BODY, request.body, 'body') : parseInput(route.bodyRequired ? route.body : route.body.optional(), request.body, 'body');
        if (route.bodyRequired && body === undefined) throw new ValidationError('body', 'expected a JSON object');
        const answer = await route.handle({ ...services, params, query, body, request, reply });
        if (answer === undefined) return reply;
        if (answer.body === undefined) return reply.code(answer.status).send();
        return reply.code(answer.status).header('content-type', 'application/json; charset=utf-8').send(JSON.stringify(answer.body));
      },
    });
  }
  return app;
}

/**
 * Serves the admin API (see {@link buildAdminApp}) with `/metrics`, `/healthz` and `/readyz` on
 * one port, and logs once whether the API requires tokens or answers loopback requests only.
 *
 * @throws ValidationError naming `port` (or `field`) for a port out of range or already in use
 */
export async function startAdminServer(options: AdminServerOptions): Promise<AdminServer> {
  const { port, host = '0.0.0.0', field = 'port', auth, logger } = options;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new ValidationError(field, `expected a port number from 0 to 65535, got ${String(port)}`);
  const app = await buildAdminApp(options);
  try {
    await app.listen({ port, host });
  } catch (error) {
    await app.close().catch(() => undefined);
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new ValidationError(field, `port ${port} is already in use`, { cause: error });
    if (code === 'EACCES') throw new ValidationError(field, `no permission to listen on port ${port}`, { cause: error });
    throw error;
  }
  const listening = (app.server.address() as AddressInfo).port;
  if (auth.enabled) logger.info({ httpPort: listening, apiTokens: auth.tokenCounts() }, 'admin API requires a bearer token');
  else logger.info({ httpPort: listening }, 'admin API answers loopback requests only: no API token is configured (SUNDIAL_API_TOKEN, SUNDIAL_API_READ_TOKEN or SUNDIAL_API_TOKENS_FILE)');
  let closing: Promise<void> | undefined;
  return { port: listening, close: () => (closing ??= app.close()) };
}
