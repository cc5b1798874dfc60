import { duplicateRedisConnection } from '../redis/connection';
import type { RedisConnection } from '../redis/redis-target';
import type { EventSubscription } from '../client/sundial-operations';
import { reconnectDelayMs } from '../redis/connection';
import { parseEventEntry } from './event-record';
import type { SundialEventHandler, SundialEventType } from './event-types';
import { compareStreamIds } from './stream-id';

/** Where a subscription starts: after an id, after the stream's current last entry, or at its start. */
export type SubscriptionStart = { readonly after: string } | 'now' | 'start';

/** What a `StreamSubscription` reads and how. */
export interface StreamSubscriptionOptions {
  /** The stream key (`keys.events`). */
  readonly streamKey: string;
  /** The types to deliver; undefined for all. */
  readonly types: ReadonlySet<SundialEventType> | undefined;
  readonly handler: SundialEventHandler;
  readonly start: SubscriptionStart;
  readonly signal?: AbortSignal;
  readonly onTrimmed?: (gap: { after: string; firstId: string }) => void;
  /** How many entries one `XREAD` returns at most. @defaultValue 100 */
  readonly batchSize?: number;
  /** How long one `XREAD` blocks, in ms, before it is sent again. @defaultValue 10,000 */
  readonly blockMs?: number;
  /** Called when it ends, so its owner forgets it. */
  readonly onEnd?: () => void;
}

/** Replies that a Redis answers while it starts or fails over: reading goes on after a pause. */
const TRANSIENT_REPLIES = /^(LOADING|BUSY|MASTERDOWN|TRYAGAIN|CLUSTERDOWN|READONLY)\b/;

/**
 * One subscription to the events stream: reads with `XREAD BLOCK` on a connection of its own (a
 * duplicate of the client's, so the client's commands never wait behind a blocked read), and
 * calls the handler for each event of its types, one at a time, in stream order.
 *
 * A lost connection (a Redis restart) is retried with the client's backoff, forever, and reading
 * continues after the last event delivered, so nothing is repeated or skipped. It ends on
 * `close()`, on abort, when the handler throws (`done` rejects with its error; `lastId()` is the
 * event before, so resuming from it delivers the failed event again), or when Redis answers an
 * error that retrying cannot cure (for example `WRONGTYPE`).
 */
export class StreamSubscription implements EventSubscription {
  /** Settles when the subscription ends (see the class description). */
  readonly done: Promise<void>;
  /**
   * Resolves once the start position is fixed (`'now'` resolved to an id): events added after
   * this are delivered.
   */
  readonly ready: Promise<void>;
  private position: string | undefined;
  private closed = false;
  private readonly connection: RedisConnection;
  private markReady: () => void = () => undefined;

  constructor(
    client: RedisConnection,
    private readonly options: StreamSubscriptionOptions,
  ) {
    this.ready = new Promise((resolve) => (this.markReady = resolve));
    this.connection = duplicateRedisConnection(client, { connectionName: 'sundial:events', blocking: true, lazyConnect: true });
    // Errors surface in the read loop; without a listener ioredis would print each reconnection error.
    this.connection.on('error', () => undefined);
    const { start } = options;
    if (typeof start === 'object') this.position = start.after;
    if (start === 'start') this.position = '0-0';
    // 'now' is resolved on the client's connection at once: a command the caller sends on it
    // after subscribing runs after this one, so an event it writes is never taken for "before".
    const startAt = start === 'now' ? client.xrevrange(options.streamKey, '+', '-', 'COUNT', 1).then((entries) => entries[0]?.[0] ?? '0-0') : Promise.resolve(this.position as string);
    const abort = () => void this.close();
    options.signal?.addEventListener('abort', abort, { once: true });
    this.done = this.run(startAt).finally(() => {
      options.signal?.removeEventListener('abort', abort);
      this.markReady();
      this.disconnect();
      options.onEnd?.();
    });
    // `done` is for those who wait on it; an unobserved rejection must not end the process.
    this.done.catch(() => undefined);
    if (options.signal?.aborted) abort();
  }

  lastId = (): string | undefined => this.position;

  /** Stops reading; resolves once the handler of the event in progress returned. */
  async close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      // Ends a blocked XREAD at once; the read loop sees `closed` and returns.
      this.disconnect();
    }
    await this.done.catch(() => undefined);
  }

  private async run(startAt: Promise<string>): Promise<void> {
    this.position = await startAt;
    if (typeof this.options.start === 'object') await this.reportTrim(this.options.start.after);
    this.markReady();
    let failures = 0;
    while (!this.closed) {
      let reply: [string, [string, string[]][]][] | null;
      try {
        reply = (await this.connection.xread('COUNT', this.options.batchSize ?? 100, 'BLOCK', this.options.blockMs ?? 10_000, 'STREAMS', this.options.streamKey, this.position)) as typeof reply;
        failures = 0;
      } catch (error) {
        if (this.closed) return;
        if (!this.isTransient(error)) throw error;
        failures += 1;
        await new Promise((resolve) => setTimeout(resolve, reconnectDelayMs(failures)));
        continue;
      }
      for (const [id, fields] of reply?.[0]?.[1] ?? []) {
        if (this.closed) return;
        const event = parseEventEntry(id, fields);
        if (event && (this.options.types === undefined || this.options.types.has(event.type))) await this.options.handler(event);
        this.position = id;
      }
    }
  }

  /** Drops the reading connection (once: ioredis leaves a timer behind when an ended one is disconnected again). */
  private disconnect(): void {
    if (this.connection.status !== 'end') this.connection.disconnect();
  }

  /** A lost connection, a Redis that is starting: worth retrying. */
  private isTransient(error: unknown): boolean {
    if (this.connection.status === 'end') return false;
    if (error instanceof Error && error.name === 'ReplyError') return TRANSIENT_REPLIES.test(error.message);
    return true;
  }

  /** Tells `onTrimmed` when events after `after` were trimmed from the stream. */
  private async reportTrim(after: string): Promise<void> {
    if (!this.options.onTrimmed) return;
    let info: unknown[];
    try {
      info = (await this.connection.xinfo('STREAM', this.options.streamKey)) as unknown[];
    } catch {
      return; // no stream yet: nothing was trimmed
    }
    const field = (name: string): unknown => (info.includes(name) ? info[info.indexOf(name) + 1] : undefined);
    const first = field('first-entry') as [string, string[]] | null | undefined;
    const removed = Number(field('entries-added')) > Number(field('length'));
    // Trimming removes the oldest entries first: when the first entry kept comes after `after`,
    // the entries in between are gone too (unless the first kept is the very next one, which a
    // stream cannot tell).
    if (first && removed && compareStreamIds(first[0], after) > 0) {
      this.options.onTrimmed({ after, firstId: first[0] });
    }
  }
}
