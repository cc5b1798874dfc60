import type { ClusterStatus, NextFireTimes, Run, Schedule, SundialEvent } from './api-types';
import { storedToken } from './session';

/** An error answer of the API: its status, code and the server's message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The API could not be reached (network failure) or answered 5xx. */
export class UnreachableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnreachableError';
  }
}

/** What the page does when the API's answers change its state. */
export interface ApiClientHooks {
  /** The API needs a (valid) token: show the prompt; `hadToken` tells whether the refused request carried one. */
  signInNeeded(message: string, status: number, hadToken: boolean): void;
  /** Whether the API answered (below 500) the last call. */
  reachability(reachable: boolean): void;
}

/** Filters of the run list. */
export interface RunFilters {
  readonly status?: string;
  readonly task?: string;
  readonly scheduleId?: string;
  readonly limit?: number;
}

const API = '/api/v1';
const path = (...parts: string[]) => `${API}/${parts.map(encodeURIComponent).join('/')}`;

function query(parameters: Readonly<Record<string, string | number | undefined>>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(parameters)) if (value !== undefined && value !== '') search.set(name, String(value));
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}

/**
 * The admin API as the dashboard uses it. Every call carries the token the user entered; a 401
 * (or a 403 on a read route: no token is configured and the page is not on loopback) asks for
 * sign-in; network failures and 5xx answers report the API unreachable.
 */
export class ApiClient {
  constructor(private readonly hooks: ApiClientHooks) {}

  private async request<T>(method: string, url: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    const token = storedToken();
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store' });
    } catch (error) {
      this.hooks.reachability(false);
      throw new UnreachableError(`API unreachable: ${error instanceof Error ? error.message : String(error)}`);
    }
    const text = await response.text().catch(() => '');
    let json: unknown;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (response.status >= 500) {
      this.hooks.reachability(false);
      const message = (json as { error?: { message?: string } } | undefined)?.error?.message;
      throw new UnreachableError(message ?? `the API answered ${response.status}`);
    }
    this.hooks.reachability(true);
    if (response.ok) return json as T;
    const error = (json as { error?: { code?: string; message?: string; field?: string } } | undefined)?.error ?? {};
    const failure = new ApiError(response.status, error.code ?? 'ERROR', error.message ?? `the API answered ${response.status}`, error.field);
    if (response.status === 401 || (response.status === 403 && method === 'GET')) this.hooks.signInNeeded(failure.message, response.status, token !== undefined);
    throw failure;
  }

  /** Every schedule (all pages). */
  async listSchedules(): Promise<Schedule[]> {
    const schedules: Schedule[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.request<{ schedules: Schedule[]; nextCursor: string | null }>('GET', `${API}/schedules${query({ limit: 1000, cursor })}`);
      schedules.push(...page.schedules);
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    return schedules;
  }

  getSchedule(id: string): Promise<Schedule> {
    return this.request('GET', path('schedules', id));
  }

  nextFireTimes(id: string, count = 10): Promise<NextFireTimes> {
    return this.request('GET', `${path('schedules', id, 'next')}${query({ count })}`);
  }

  pause(id: string): Promise<Schedule> {
    return this.request('POST', path('schedules', id, 'pause'), {});
  }

  resume(id: string): Promise<Schedule> {
    return this.request('POST', path('schedules', id, 'resume'), {});
  }

  trigger(id: string): Promise<{ runId: string }> {
    return this.request('POST', path('schedules', id, 'trigger'), {});
  }

  backfill(id: string, from: string, to: string): Promise<{ runIds: string[] }> {
    return this.request('POST', path('schedules', id, 'backfill'), { from, to });
  }

  update(id: string, changes: unknown): Promise<Schedule> {
    return this.request('PUT', path('schedules', id), changes);
  }

  remove(id: string): Promise<void> {
    return this.request('DELETE', path('schedules', id));
  }

  async listRuns(filters: RunFilters = {}): Promise<Run[]> {
    return (await this.request<{ runs: Run[] }>('GET', `${API}/runs${query({ limit: 200, ...filters })}`)).runs;
  }

  getRun(runId: string): Promise<Run> {
    return this.request('GET', path('runs', runId));
  }

  retryRun(runId: string): Promise<Run> {
    return this.request('POST', path('runs', runId, 'retry'), {});
  }

  cancelRun(runId: string): Promise<Run> {
    return this.request('POST', path('runs', runId, 'cancel'), {});
  }

  status(): Promise<ClusterStatus> {
    return this.request('GET', `${API}/status`);
  }

  async recentEvents(types: readonly string[], limit: number): Promise<SundialEvent[]> {
    return (await this.request<{ events: SundialEvent[] }>('GET', `${API}/events/recent${query({ types: types.join(','), limit })}`)).events;
  }

  /**
   * The URL of the live event stream. A browser's EventSource sends no headers, so the token
   * goes in the `access_token` parameter, which the server accepts on this route only.
   */
  eventsUrl(types: readonly string[]): string {
    return `${API}/events${query({ types: types.join(','), access_token: storedToken() })}`;
  }
}
