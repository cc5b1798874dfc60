import { ConflictError, NotFoundError, RedisConnectionError, SundialError, ValidationError } from '@sundial/shared';

/** The body of every error answer: `{ "error": { "code", "message", ... } }`. */
export interface ApiErrorBody {
  readonly error: {
    readonly code: string;
    readonly message: string;
    /** The offending field, for 400 answers: `trigger.cron`, `limit`, `body`. */
    readonly field?: string;
    /** What is wrong with the field and what was expected. */
    readonly problem?: string;
    /** What was not found, for 404 answers. */
    readonly kind?: 'schedule' | 'run';
    /** The schedule or run id, for 404 and 409 answers. */
    readonly id?: string;
  };
}

/** An error answer: its status and body. */
export interface ApiErrorReply {
  readonly status: number;
  readonly body: ApiErrorBody;
  /** Whether the error is the server's fault and belongs in its log. */
  readonly internal: boolean;
}

/** The error answer for an unknown route. */
export function noRouteReply(method: string, url: string): ApiErrorReply {
  const path = url.split('?')[0] ?? url;
  return { status: 404, body: { error: { code: 'NOT_FOUND', message: `no route ${method} ${path}` } }, internal: false };
}

/** The fastify error codes of request bodies it refused before a route ran. */
const FASTIFY_BODY_ERRORS: Readonly<Record<string, { status: number; code: string; message: string }>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'PAYLOAD_TOO_LARGE', message: 'the request body is larger than 1 MiB' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message: 'send the body as application/json' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'INVALID_INPUT', message: 'body: the content-length does not match the body' },
};

const invalid = (error: ValidationError): ApiErrorReply => ({
  status: 400,
  body: { error: { code: error.code, message: error.message, field: error.field, problem: error.problem } },
  internal: false,
});

/**
 * Maps an error to its HTTP answer: ValidationError 400 (with `field` and `problem`),
 * NotFoundError 404 (with `kind` and `id`), ConflictError 409 (with `id`), bodies fastify refused
 * 413/415, Redis out of reach 503, anything else 500 with a generic message (the details belong
 * in the server log only).
 *
 * @param redisAvailable - whether the coordinator's Redis connection is up; an unexpected error while it is down answers 503
 */
export function errorReply(error: unknown, redisAvailable: boolean): ApiErrorReply {
  if (error instanceof ValidationError) return invalid(error);
  if (error instanceof NotFoundError) return { status: 404, body: { error: { code: error.code, message: error.message, kind: error.kind, id: error.id } }, internal: false };
  if (error instanceof ConflictError) return { status: 409, body: { error: { code: error.code, message: error.message, id: error.id } }, internal: false };
  const code = (error as { code?: unknown } | null)?.code;
  const known = typeof code === 'string' ? FASTIFY_BODY_ERRORS[code] : undefined;
  if (known) return { status: known.status, body: { error: { code: known.code, message: known.message } }, internal: false };
  if (error instanceof RedisConnectionError || (!redisAvailable && !(error instanceof SundialError))) {
    return { status: 503, body: { error: { code: 'UNAVAILABLE', message: 'Redis is unreachable; try again shortly' } }, internal: true };
  }
  return { status: 500, body: { error: { code: 'INTERNAL', message: 'internal error; the coordinator log has the details' } }, internal: true };
}
