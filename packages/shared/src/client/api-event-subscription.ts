import { SundialError } from '../errors';
import type { SundialEvent, SundialEventHandler, SundialEventType } from '../events/event-types';
import { reconnectDelayMs } from '../redis/connection';
import { ApiResponseError, ApiUnreachableError } from './api-errors';
import type { ApiTransport } from './api-transport';
import { sseMessages } from './sse-messages';
import type { EventSubscription } from './sundial-operations';

/** What an `ApiEventSubscription` reads. */
export interface ApiEventSubscriptionOptions {
  /** The types to deliver; undefined for all. */
  readonly types: ReadonlySet<SundialEventType> | undefined;
  readonly handler: SundialEventHandler;
  /** `now`, `start` or an event id, already checked. */
  readonly from: string;
  readonly signal?: AbortSignal;
  /**
   * A connection that brings nothing, not even the server's keep-alive comment (every 15 s),
   * for this long is taken for dead and opened again. @defaultValue 45,000
   */
  readonly idleMs?: number;
  /** Called when it ends, so its owner forgets it. */
  readonly onEnd?: () => void;
}

const DEFAULT_IDLE_MS = 45_000;

/** Whether a failure is worth connecting again for: a dropped or unreachable API, or a server error (5xx). */
function isTransient(error: unknown): boolean {
  if (error instanceof ApiUnreachableError) return true;
  if (error instanceof ApiResponseError) return error.status >= 500;
  return !(error instanceof SundialError);
}

/**
 * One subscription to the admin API's event stream (`GET /api/v1/events`, server-sent events):
 * calls the handler for each event, one at a time, in stream order. A dropped connection is
 * opened again with `Last-Event-ID` set to the last event delivered, so nothing is repeated or
 * skipped; a failure of the first connection, a refused token or a bad request ends it (`done`
 * rejects). It also ends on `close()`, on abort, or when the handler throws (`done` rejects
 * with its error; `lastId()` is the event before).
 */
export class ApiEventSubscription implements EventSubscription {
  /** Settles when the subscription ends (see the class description). */
  readonly done: Promise<void>;
  private position: string | undefined;
  private readonly stop = new AbortController();

  constructor(
    private readonly transport: ApiTransport,
    private readonly options: ApiEventSubscriptionOptions,
  ) {
    this.position = options.from === 'now' || options.from === 'start' ? undefined : options.from;
    const onAbort = () => this.stop.abort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.signal?.aborted) this.stop.abort();
    this.done = this.read().finally(() => {
      options.signal?.removeEventListener('abort', onAbort);
      options.onEnd?.();
    });
    // `done` is also awaited by `close()`; a rejection nobody awaits must not crash the process.
    this.done.catch(() => undefined);
  }

  /** The id of the last event delivered (or `from`, before the first). */
  lastId = (): string | undefined => this.position;

  /** Stops reading; resolves once the handler of the event in progress returned. */
  async close(): Promise<void> {
    this.stop.abort();
    await this.done.catch(() => undefined);
  }

  private async read(): Promise<void> {
    let connected = false;
    for (let attempt = 0; !this.stop.signal.aborted; ) {
      try {
        await this.readConnection(() => {
          connected = true;
          attempt = 0;
        });
      } catch (error) {
        if (this.stop.signal.aborted) return;
        if (error instanceof HandlerError) throw error.cause;
        if (!connected || !isTransient(error)) throw error;
      }
      if (this.stop.signal.aborted) return;
      attempt += 1;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, reconnectDelayMs(attempt));
        this.stop.signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
      });
    }
  }

  /** Reads one connection until it ends. @throws HandlerError when the handler threw */
  private async readConnection(onConnected: () => void): Promise<void> {
    const connection = new AbortController();
    const signal = AbortSignal.any([this.stop.signal, connection.signal]);
    const { types, from } = this.options;
    const resumeFrom = this.position;
    const response = await this.transport.open({
      method: 'GET',
      path: '/events',
      query: { types: types === undefined ? undefined : [...types].join(','), from: resumeFrom === undefined ? from : undefined },
      headers: resumeFrom === undefined ? { accept: 'text/event-stream' } : { accept: 'text/event-stream', 'last-event-id': resumeFrom },
      signal,
    });
    onConnected();
    if (!response.body) return;
    const idleMs = this.options.idleMs ?? DEFAULT_IDLE_MS;
    let idle = setTimeout(() => connection.abort(), idleMs);
    const alive = () => {
      clearTimeout(idle);
      idle = setTimeout(() => connection.abort(), idleMs);
    };
    try {
      for await (const message of sseMessages(response.body, alive)) {
        if (message.id === undefined || message.event === 'message') continue;
        const event = { ...parseEvent(message.data), id: message.id };
        if (types !== undefined && !types.has(event.type)) continue;
        clearTimeout(idle);
        try {
          await this.options.handler(event);
        } catch (error) {
          throw new HandlerError(error);
        }
        this.position = message.id;
        if (this.stop.signal.aborted) return;
        alive();
      }
    } finally {
      clearTimeout(idle);
    }
  }
}

/** An event's data. @throws ApiResponseError when it is not an event's JSON */
function parseEvent(data: string): SundialEvent {
  try {
    const event = JSON.parse(data) as unknown;
    if (typeof event === 'object' && event !== null && typeof (event as { type?: unknown }).type === 'string') return event as SundialEvent;
  } catch {
    // reported below
  }
  throw new ApiResponseError(200, 'INVALID_EVENT', `the event stream sent data that is not an event: ${data.slice(0, 200)}`);
}

/** The handler threw: the subscription ends with its error. */
class HandlerError extends Error {
  constructor(override readonly cause: unknown) {
    super('the event handler threw', { cause });
  }
}
