import type { SundialOperations } from '@sundial/shared';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Logger } from '../logger';
import type { ApiScope } from './auth';

/** What a route handler works with, besides its validated input. */
export interface RouteServices {
  /** The operations the API carries out (a `SundialClient` on the coordinator's connection). */
  readonly operations: SundialOperations;
  /** How often an event stream sends a `: keep-alive` comment. */
  readonly keepAliveMs: number;
  /** Closers of the event streams open now; the server calls them when it closes. */
  readonly openStreams: Set<() => Promise<void>>;
  /** The API's logger (credentials redacted). */
  readonly log: Logger;
}

/** The query parameter that may carry the bearer token on routes that accept it (see {@link ApiRoute.acceptsQueryToken}). */
export const ACCESS_TOKEN_PARAMETER = 'access_token';

/** A route handler's input: the validated path parameters, query string and body. */
export interface RouteInput<P, Q, B> extends RouteServices {
  readonly params: P;
  readonly query: Q;
  readonly body: B;
  readonly request: FastifyRequest;
  readonly reply: FastifyReply;
}

/** A route's answer: a status and a JSON body (none for 204). */
export interface RouteAnswer {
  readonly status: number;
  readonly body?: unknown;
}

/** One documented answer of a route. */
export interface RouteResponse {
  readonly description: string;
  readonly schema?: z.ZodType;
  /** @defaultValue `application/json` */
  readonly contentType?: string;
}

/**
 * A route of the admin API, as the server registers it and the OpenAPI document describes it:
 * the same schemas validate the input and document it.
 */
export interface ApiRoute<P = unknown, Q = unknown, B = unknown> {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** In OpenAPI form: `/api/v1/schedules/{id}`. */
  readonly path: string;
  readonly operationId: string;
  readonly summary: string;
  readonly description?: string;
  /** The token scope the route needs. */
  readonly scope: ApiScope;
  readonly params: z.ZodType<P>;
  readonly query: z.ZodType<Q>;
  /** The body schema; a route without one takes no body. */
  readonly body?: z.ZodType<B>;
  /**
   * Whether the token may come as the `access_token` query parameter when no `Authorization`
   * header is sent: only for the event stream, which a browser's `EventSource` opens without headers.
   * @defaultValue false
   */
  readonly acceptsQueryToken?: boolean;
  /** Whether a body must be sent. @defaultValue false */
  readonly bodyRequired?: boolean;
  /** The success answers (error answers are documented for every route). */
  readonly responses: Readonly<Record<number, RouteResponse>>;
  /** Carries the request out; returns undefined when it answered by itself (an event stream). */
  handle(input: RouteInput<P, Q, B>): Promise<RouteAnswer | undefined>;
}

/** Declares a route with its types inferred from its schemas. */
export function defineRoute<P, Q, B = undefined>(route: ApiRoute<P, Q, B>): ApiRoute {
  return route as unknown as ApiRoute;
}
