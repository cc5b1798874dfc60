import type { RedisConnection } from '../redis/redis-target';
import { ValidationError } from '../errors';
import type { SubscribeOptions, SundialEvents } from '../client/sundial-operations';
import { parseEventEntry } from './event-record';
import { SUNDIAL_EVENT_TYPES, isSundialEventType, type SundialEvent, type SundialEventHandler, type SundialEventType } from './event-types';
import { StreamSubscription, type SubscriptionStart } from './event-subscription';
import { isStreamId } from './stream-id';

/** The most events `recent` returns. */
export const MAX_RECENT_EVENTS = 1_000;

/**
 * Checks the arguments of a `subscribe`: the types (undefined for all), the handler and where to
 * start.
 *
 * @throws ValidationError naming `types`, `handler` or `from`
 */
export function parseSubscription(types: readonly SundialEventType[] | '*', handler: unknown, from: SubscribeOptions['from']) {
  const wanted = parseEventTypes(types);
  const start = parseSubscriptionStart(from);
  if (typeof handler !== 'function') throw new ValidationError('handler', 'expected a function');
  return { wanted, start };
}

/**
 * Checks the `limit` of a read of recent events: 1 to {@link MAX_RECENT_EVENTS}, 100 when absent.
 *
 * @throws ValidationError naming `limit`
 */
export function parseRecentLimit(limit: number | undefined): number {
  const value = limit ?? 100;
  if (!Number.isInteger(value) || value < 1 || value > MAX_RECENT_EVENTS) {
    throw new ValidationError('limit', `expected a whole number from 1 to ${MAX_RECENT_EVENTS}, got ${String(limit)}`);
  }
  return value;
}

/**
 * The types asked for, checked; undefined for all (`'*'` or an empty list).
 *
 * @throws ValidationError naming `types`
 */
export function parseEventTypes(types: readonly string[] | '*'): ReadonlySet<SundialEventType> | undefined {
  if (types === '*') return undefined;
  if (!Array.isArray(types)) throw new ValidationError('types', `expected '*' or a list of event types, got ${JSON.stringify(types)}`);
  for (const type of types) {
    if (typeof type !== 'string' || !isSundialEventType(type)) {
      throw new ValidationError('types', `unknown event type ${JSON.stringify(type)}; expected one of ${SUNDIAL_EVENT_TYPES.join(', ')}`);
    }
  }
  return types.length === 0 ? undefined : new Set(types as readonly SundialEventType[]);
}

/**
 * Where to start reading, checked.
 *
 * @throws ValidationError naming `from`
 */
export function parseSubscriptionStart(from: string | undefined): SubscriptionStart {
  if (from === undefined || from === 'now') return 'now';
  if (from === 'start') return 'start';
  if (typeof from === 'string' && isStreamId(from)) return { after: from };
  throw new ValidationError('from', `expected "now", "start" or an event id such as 1767225600000-0, got ${JSON.stringify(from)}`);
}

/**
 * A namespace's durable event stream (`keys.events`, a capped Redis stream) read with ioredis.
 * Each subscription reads on a connection of its own; `close()` ends them all.
 *
 * @example
 * const subscription = client.events.subscribe(['run.failed'], (event) => alert(event), { from: savedId });
 * // later: save subscription.lastId() to resume from it after a restart
 */
export class RedisEventStream implements SundialEvents {
  private readonly subscriptions = new Set<StreamSubscription>();

  /**
   * @param redis - the client's connection: `recent` uses it, subscriptions duplicate it
   * @param streamKey - the stream, `keys.events`
   */
  constructor(
    private readonly redis: RedisConnection,
    private readonly streamKey: string,
  ) {}

  /**
   * Calls `handler` for each event of the given types (`'*'` or an empty list for all), in stream
   * order, one at a time, from `options.from` on. Reading survives Redis restarts: it continues
   * after the last event delivered.
   *
   * @throws ValidationError naming `types` for an unknown type, or `from` for a malformed id
   */
  subscribe(types: readonly SundialEventType[] | '*', handler: SundialEventHandler, options: SubscribeOptions = {}): StreamSubscription {
    const { wanted, start } = parseSubscription(types, handler, options.from);
    const subscription: StreamSubscription = new StreamSubscription(this.redis, {
      streamKey: this.streamKey,
      types: wanted,
      handler,
      start,
      signal: options.signal,
      onTrimmed: options.onTrimmed,
      onEnd: () => this.subscriptions.delete(subscription),
    });
    this.subscriptions.add(subscription);
    return subscription;
  }

  /**
   * The newest events of the given types, oldest first, at most `limit` (1 to
   * {@link MAX_RECENT_EVENTS}, default 100).
   *
   * @throws ValidationError naming `types` or `limit`
   */
  async recent(types: readonly SundialEventType[] | '*', options: { limit?: number } = {}): Promise<SundialEvent[]> {
    const wanted = parseEventTypes(types);
    const limit = parseRecentLimit(options.limit);
    const events: SundialEvent[] = [];
    // Newest first, a page at a time, until enough events of the types asked for are found.
    let end = '+';
    const page = wanted === undefined ? limit : Math.max(limit, 500);
    for (;;) {
      const entries = await this.redis.xrevrange(this.streamKey, end, '-', 'COUNT', page);
      for (const [id, fields] of entries) {
        const event = parseEventEntry(id, fields);
        if (event && (wanted === undefined || wanted.has(event.type))) events.push(event);
        if (events.length === limit) return events.reverse();
      }
      const last = entries[entries.length - 1];
      if (!last || entries.length < page) return events.reverse();
      end = `(${last[0]}`;
    }
  }

  /** Ends every subscription; resolves once their handlers in progress returned. */
  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
  }
}

