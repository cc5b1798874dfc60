import { ConflictError, InvalidTriggerError, NotFoundError, SundialError, ValidationError } from '../errors';

/** The admin API refused the request's credentials: no token or an unknown one (401), or a token whose scope does not allow it (403). */
export class ApiAuthError extends SundialError {
  /** `UNAUTHORIZED` (401) or `FORBIDDEN` (403). */
  readonly code: 'UNAUTHORIZED' | 'FORBIDDEN';

  constructor(code: 'UNAUTHORIZED' | 'FORBIDDEN', message: string) {
    super(message);
    this.code = code;
  }
}

/**
 * The admin API could not be reached: the connection failed, or no answer came in time. The
 * message names the URL and says where it came from (`--api`, `SUNDIAL_API_URL`).
 */
export class ApiUnreachableError extends SundialError {
  readonly code = 'API_UNREACHABLE';

  /**
   * @param url - the API's base URL
   * @param reason - what failed, e.g. `connect ECONNREFUSED 127.0.0.1:8080`
   */
  constructor(
    readonly url: string,
    reason: string,
    options?: ErrorOptions,
  ) {
    super(`could not reach the Sundial API at ${url}: ${reason} (is a coordinator serving it there? check --api or SUNDIAL_API_URL)`, options);
  }
}

/** The admin API answered with an error that is not the caller's: it failed (500), or its Redis is unreachable (503). */
export class ApiResponseError extends SundialError {
  readonly code = 'API_ERROR';

  /**
   * @param status - the HTTP status
   * @param apiCode - the error code in the body, e.g. `INTERNAL` or `UNAVAILABLE`
   */
  constructor(
    readonly status: number,
    readonly apiCode: string,
    message: string,
  ) {
    super(`the Sundial API answered ${status} ${apiCode}: ${message}`);
  }
}

/** The error body of the admin API. */
interface ApiErrorBody {
  readonly code?: unknown;
  readonly message?: unknown;
  readonly field?: unknown;
  readonly problem?: unknown;
  readonly kind?: unknown;
  readonly id?: unknown;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/**
 * The error an admin API error response stands for, as `SundialClient` would have raised it:
 * 400 (and 413, 415) as `ValidationError` naming the field, 404 as `NotFoundError`, 409 as
 * `ConflictError`, 401 and 403 as `ApiAuthError`, anything else as `ApiResponseError`.
 *
 * @param body - the parsed JSON body, or undefined when it was not JSON
 */
export function errorFromResponse(status: number, body: unknown): SundialError {
  const error: ApiErrorBody = typeof body === 'object' && body !== null && 'error' in body && typeof body.error === 'object' && body.error !== null ? body.error : {};
  const code = text(error.code) ?? `HTTP_${status}`;
  const message = text(error.message) ?? `status ${status}`;
  if (status === 400 || status === 413 || status === 415) {
    const field = text(error.field) ?? 'body';
    const problem = text(error.problem) ?? message.replace(`${field}: `, '');
    return code === 'INVALID_TRIGGER' ? new InvalidTriggerError(field, problem) : new ValidationError(field, problem);
  }
  if (status === 401) return new ApiAuthError('UNAUTHORIZED', `the Sundial API refused the request: ${message} (check --token or SUNDIAL_API_TOKEN)`);
  if (status === 403) return new ApiAuthError('FORBIDDEN', `the Sundial API refused the request: ${message}`);
  const kind = text(error.kind);
  const id = text(error.id);
  if (status === 404 && (kind === 'schedule' || kind === 'run') && id !== undefined) return new NotFoundError(kind, id);
  if (status === 409 && id !== undefined) return new ConflictError(id);
  return new ApiResponseError(status, code, message);
}
