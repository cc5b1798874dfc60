import { ValidationError } from '../errors';
import { parseEventTypes, parseRecentLimit, parseSubscription } from '../events/event-stream';
import type { SundialEvent, SundialEventHandler, SundialEventType } from '../events/event-types';
import type { Run } from '../runs/run-record';
import type { ScheduleInput } from '../schedule/schedule-spec';
import type { Schedule } from '../schedule/stored-schedule';
import { ApiEventSubscription } from './api-event-subscription';
import { ApiTransport, pathSegment, type ApiClientOptions } from './api-transport';
import type { ListRunsOptions } from './run-reader';
import type { AddResult, ClusterStatus, ConflictPolicy, ListSchedulesOptions } from './sundial-client';
import type { EventSubscription, SubscribeOptions, SundialEvents, SundialOperations } from './sundial-operations';

/** An instant as the API takes it (ISO-8601). @throws ValidationError naming `field` */
function isoOf(value: Date | number, field: string): string {
  const ms = typeof value === 'number' ? value : value instanceof Date ? value.getTime() : Number.NaN;
  if (!Number.isFinite(ms)) throw new ValidationError(field, 'expected a valid date');
  return new Date(ms).toISOString();
}

/** The path of a schedule, or of one of its actions. */
const schedulePath = (id: string, action = '') => `/schedules/${pathSegment(id)}${action}`;
/** The path of a run, or of one of its actions. */
const runPath = (runId: string, action = '') => `/runs/${pathSegment(runId)}${action}`;

/** The event stream through the admin API: `GET /api/v1/events` (server-sent events) and `/events/recent`. */
class ApiEvents implements SundialEvents {
  private readonly subscriptions = new Set<ApiEventSubscription>();

  constructor(private readonly transport: ApiTransport) {}

  /**
   * Calls `handler` for each event of the given types, one at a time, in stream order; a
   * dropped connection is opened again after the last event delivered.
   *
   * @throws ValidationError naming `types` or `from`
   */
  subscribe(types: readonly SundialEventType[] | '*', handler: SundialEventHandler, options: SubscribeOptions = {}): EventSubscription {
    const { wanted } = parseSubscription(types, handler, options.from);
    const subscription: ApiEventSubscription = new ApiEventSubscription(this.transport, {
      types: wanted,
      handler,
      from: options.from ?? 'now',
      signal: options.signal,
      onEnd: () => this.subscriptions.delete(subscription),
    });
    this.subscriptions.add(subscription);
    return subscription;
  }

  /** The newest events of the given types, oldest first, at most `limit` (default 100). @throws ValidationError naming `types` or `limit` */
  async recent(types: readonly SundialEventType[] | '*', options: { limit?: number } = {}): Promise<SundialEvent[]> {
    const wanted = parseEventTypes(types);
    const limit = parseRecentLimit(options.limit);
    const query = { types: wanted === undefined ? undefined : [...wanted].join(','), limit };
    return (await this.transport.json<{ events: SundialEvent[] }>({ method: 'GET', path: '/events/recent', query })).events;
  }

  /** Ends every subscription; resolves once their handlers in progress returned. */
  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
  }
}

/**
 * Sundial's operations through a coordinator's admin API (`/api/v1`), for processes that cannot
 * or should not reach Redis. It raises the errors `SundialClient` raises: `ValidationError`
 * naming the field, `NotFoundError`, `ConflictError`; and `ApiAuthError` for a refused token,
 * `ApiUnreachableError` when no coordinator answers.
 *
 * @example
 * const client = new ApiClient({ url: 'http://sundial-coordinator:8080', token: process.env.SUNDIAL_API_TOKEN });
 * await client.trigger('nightly-report');
 */
export class ApiClient implements SundialOperations {
  /** The event stream, read over server-sent events. */
  readonly events: SundialEvents;
  private readonly transport: ApiTransport;
  private readonly apiEvents: ApiEvents;

  /** @throws ValidationError naming `url`, `token` or `timeoutMs` */
  constructor(options: ApiClientOptions) {
    this.transport = new ApiTransport(options);
    this.apiEvents = new ApiEvents(this.transport);
    this.events = this.apiEvents;
  }

  /** The API's base URL. */
  get url(): string {
    return this.transport.baseUrl;
  }

  async add(input: ScheduleInput | unknown, options: { onConflict?: ConflictPolicy } = {}): Promise<AddResult> {
    return this.transport.json({ method: 'POST', path: '/schedules', query: { onConflict: options.onConflict }, body: input });
  }

  async update(id: string, changes: Partial<Omit<ScheduleInput, 'id' | 'paused'>>): Promise<Schedule> {
    return this.transport.json({ method: 'PUT', path: schedulePath(id), body: changes });
  }

  async pause(id: string): Promise<Schedule> {
    return this.transport.json({ method: 'POST', path: schedulePath(id, '/pause'), body: {} });
  }

  async resume(id: string, options: { catchUp?: 'none' | 'policy' } = {}): Promise<Schedule> {
    return this.transport.json({ method: 'POST', path: schedulePath(id, '/resume'), body: options.catchUp === undefined ? {} : { catchUp: options.catchUp } });
  }

  async remove(id: string): Promise<void> {
    await this.transport.json({ method: 'DELETE', path: schedulePath(id) });
  }

  async get(id: string): Promise<Schedule> {
    return this.transport.json({ method: 'GET', path: schedulePath(id) });
  }

  async list(options: ListSchedulesOptions = {}): Promise<{ schedules: Schedule[]; nextCursor: string | null }> {
    const labels = Object.entries(options.labels ?? {}).map(([key, value]) => `${key}=${value}`);
    return this.transport.json({
      method: 'GET',
      path: '/schedules',
      query: { task: options.task, queue: options.queue, state: options.state, label: labels, limit: options.limit, cursor: options.cursor },
    });
  }

  async trigger(id: string, options: { force?: boolean } = {}): Promise<{ runId: string }> {
    return this.transport.json({ method: 'POST', path: schedulePath(id, '/trigger'), body: options.force === undefined ? {} : { force: options.force } });
  }

  async backfill(id: string, range: { from: Date | number; to: Date | number; force?: boolean; limit?: number }): Promise<{ runIds: string[] }> {
    const body = { from: isoOf(range.from, 'from'), to: isoOf(range.to, 'to'), force: range.force, limit: range.limit };
    return this.transport.json({ method: 'POST', path: schedulePath(id, '/backfill'), body });
  }

  async listRuns(options: ListRunsOptions = {}): Promise<Run[]> {
    const query = {
      scheduleId: options.scheduleId,
      status: options.status,
      task: options.task,
      limit: options.limit,
      before: options.before === undefined ? undefined : isoOf(options.before, 'before'),
    };
    return (await this.transport.json<{ runs: Run[] }>({ method: 'GET', path: '/runs', query })).runs;
  }

  async getRun(runId: string): Promise<Run> {
    return this.transport.json({ method: 'GET', path: runPath(runId) });
  }

  async retryRun(runId: string): Promise<Run> {
    return this.transport.json({ method: 'POST', path: runPath(runId, '/retry') });
  }

  async cancelRun(runId: string): Promise<Run> {
    return this.transport.json({ method: 'POST', path: runPath(runId, '/cancel') });
  }

  async status(): Promise<ClusterStatus> {
    return this.transport.json({ method: 'GET', path: '/status' });
  }

  /** Ends the event subscriptions it started. */
  async close(): Promise<void> {
    await this.apiEvents.close();
  }
}

export type { ApiClientOptions } from './api-transport';
