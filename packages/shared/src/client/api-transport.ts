import { ValidationError } from '../errors';
import { ApiUnreachableError, errorFromResponse } from './api-errors';

/** Where the admin API is and how to ask it. */
export interface ApiClientOptions {
  /** The coordinator's base URL, e.g. `http://sundial-coordinator:8080` (the API is under `/api/v1`). */
  url: string;
  /** A bearer token (`SUNDIAL_API_TOKEN` or a read token); without one only a loopback API answers. */
  token?: string;
  /** How long a request may take until its answer arrives, in ms. @defaultValue 30,000 */
  timeoutMs?: number;
}

/** Query parameters; undefined ones are left out, arrays repeat the parameter. */
export type QueryParams = Readonly<Record<string, string | number | boolean | readonly string[] | undefined>>;

/** One request to the admin API. */
export interface ApiRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** The path under `/api/v1`, its segments already encoded, e.g. `/runs/nightly%401767225600000`. */
  readonly path: string;
  readonly query?: QueryParams;
  /** Sent as JSON. */
  readonly body?: unknown;
  /** Extra headers, e.g. `last-event-id`. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Ends the request (and the reading of its body) when aborted. */
  readonly signal?: AbortSignal;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/** A path segment, encoded: run ids contain `@`, ids may contain `.`. */
export function pathSegment(value: string): string {
  return encodeURIComponent(value);
}

/** The base URL, checked, without a trailing slash. @throws ValidationError naming `url` */
function checkedBaseUrl(url: unknown): string {
  if (typeof url !== 'string' || url.trim() === '') throw new ValidationError('url', 'expected the URL of a coordinator, e.g. http://127.0.0.1:8080');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ValidationError('url', `expected an http:// or https:// URL, got ${JSON.stringify(url)}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new ValidationError('url', `expected an http:// or https:// URL, got ${JSON.stringify(url)}`);
  if (parsed.search !== '' || parsed.hash !== '') throw new ValidationError('url', `expected a URL without a query or fragment, got ${JSON.stringify(url)}`);
  return parsed.toString().replace(/\/+$/, '');
}

/** The reason a fetch failed, from its cause (`connect ECONNREFUSED ...`) when there is one. */
function failureReason(error: unknown): string {
  const cause = error instanceof Error ? error.cause : undefined;
  if (cause instanceof Error && cause.message) return cause.message;
  if (typeof cause === 'object' && cause !== null && 'code' in cause && typeof cause.code === 'string') return cause.code;
  return error instanceof Error ? error.message : String(error);
}

/**
 * Sends requests to a coordinator's admin API (`/api/v1`) with the global `fetch`, and turns
 * error answers into the errors `SundialClient` raises (see `errorFromResponse`).
 */
export class ApiTransport {
  /** The base URL, without a trailing slash. */
  readonly baseUrl: string;
  private readonly token: string | undefined;
  private readonly timeoutMs: number;

  /** @throws ValidationError naming `url`, `token` or `timeoutMs` */
  constructor(options: ApiClientOptions) {
    this.baseUrl = checkedBaseUrl(options?.url);
    if (options.token !== undefined && (typeof options.token !== 'string' || options.token === '' || /[\s]/.test(options.token))) {
      throw new ValidationError('token', 'expected a non-empty token without spaces');
    }
    this.token = options.token;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!Number.isInteger(this.timeoutMs) || this.timeoutMs < 1) throw new ValidationError('timeoutMs', `expected a whole number of milliseconds of at least 1, got ${String(options.timeoutMs)}`);
  }

  /**
   * Sends a request and returns its JSON answer (undefined for 204).
   *
   * @throws the mapped error for an error answer; ApiUnreachableError when no answer came
   */
  async json<T>(request: ApiRequest): Promise<T> {
    const { response, timeout, clear } = await this.send(request);
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      if (request.signal?.aborted) throw error;
      throw new ApiUnreachableError(this.baseUrl, timeout.aborted ? `no complete answer within ${this.timeoutMs} ms` : failureReason(error), { cause: error });
    } finally {
      clear();
    }
    if (response.status === 204 || text === '') return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch (error) {
      throw new ApiUnreachableError(this.baseUrl, `the answer to ${request.method} ${request.path} is not JSON; is this the URL of a coordinator?`, { cause: error });
    }
  }

  /**
   * Sends a request and returns the response once its headers arrived, its body unread: for
   * streams. The timeout covers the wait for the headers only.
   *
   * @throws the mapped error for an error answer; ApiUnreachableError when no answer came
   */
  async open(request: ApiRequest): Promise<Response> {
    const { response, clear } = await this.send(request);
    clear();
    return response;
  }

  /** Sends a request; an error answer is thrown. `clear` stops the timeout, which `timeout` says fired. */
  private async send(request: ApiRequest): Promise<{ response: Response; timeout: AbortSignal; clear: () => void }> {
    const url = this.url(request);
    const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
    if (this.token !== undefined) headers.authorization = `Bearer ${this.token}`;
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), this.timeoutMs);
    const clear = () => clearTimeout(timer);
    const signal = request.signal ? AbortSignal.any([request.signal, timeout.signal]) : timeout.signal;
    let response: Response;
    try {
      response = await fetch(url, { method: request.method, headers, body: request.body === undefined ? undefined : JSON.stringify(request.body), signal });
    } catch (error) {
      clear();
      if (request.signal?.aborted) throw error;
      const reason = timeout.signal.aborted ? `no answer within ${this.timeoutMs} ms` : failureReason(error);
      throw new ApiUnreachableError(this.baseUrl, reason, { cause: error });
    }
    if (!response.ok) {
      const body: unknown = await response.json().catch(() => undefined);
      clear();
      throw errorFromResponse(response.status, body);
    }
    return { response, timeout: timeout.signal, clear };
  }

  private url(request: ApiRequest): string {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(request.query ?? {})) {
      if (value === undefined) continue;
      if (Array.isArray(value)) for (const each of value as readonly string[]) params.append(name, each);
      else params.append(name, String(value));
    }
    const query = params.toString();
    return `${this.baseUrl}/api/v1${request.path}${query ? `?${query}` : ''}`;
  }
}
