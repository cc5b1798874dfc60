import { SUNDIAL_EVENT_TYPES, ValidationError, isSundialEventType, type EventSubscription, type SundialEvent, type SundialEventType } from '@sundial/shared';
import type { ServerResponse } from 'node:http';
import { defineRoute, type ApiRoute } from '../api-route';
import { eventListSchema, eventSchema, eventsQuerySchema, noParametersSchema, recentEventsQuerySchema } from '../schemas';

/** Stream ids: `<ms>-<seq>`. */
const EVENT_ID = /^\d+-\d+$/;

/** The `types` parameter (comma-separated) as a list, or `'*'` for all. @throws ValidationError naming `types` */
function typesOf(text: string | undefined): readonly SundialEventType[] | '*' {
  const types = (text ?? '')
    .split(',')
    .map((type) => type.trim())
    .filter((type) => type !== '');
  if (types.length === 0 || types.includes('*')) return '*';
  const unknown = types.find((type) => !isSundialEventType(type));
  if (unknown !== undefined) throw new ValidationError('types', `unknown event type ${JSON.stringify(unknown)}; expected some of ${SUNDIAL_EVENT_TYPES.join(', ')}`);
  return types as SundialEventType[];
}

/**
 * Where a stream starts: after the `Last-Event-ID` a reconnecting browser sends, else `from`.
 * @throws ValidationError naming `Last-Event-ID` or `from`
 */
function startOf(from: string | undefined, lastEventId: string | string[] | undefined): string {
  if (typeof lastEventId === 'string' && lastEventId.trim() !== '') {
    const id = lastEventId.trim();
    if (!EVENT_ID.test(id)) throw new ValidationError('Last-Event-ID', `expected an event id such as "1700000000000-0", got ${JSON.stringify(id.slice(0, 40))}`);
    return id;
  }
  const start = from ?? 'now';
  if (start !== 'now' && start !== 'start' && !EVENT_ID.test(start)) throw new ValidationError('from', `expected "now", "start" or an event id such as "1700000000000-0", got ${JSON.stringify(start.slice(0, 40))}`);
  return start;
}

/** One event as a server-sent event: its stream id, its type as the event name, its JSON as data. */
export function formatServerSentEvent(event: SundialEvent): string {
  return `${event.id === undefined ? '' : `id: ${event.id}\n`}event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

/** Writes a chunk; resolves once the socket takes more (or is gone), so a slow client slows its subscription, not the server's memory. */
function write(response: ServerResponse, chunk: string): Promise<void> {
  return new Promise((resolve) => {
    if (response.destroyed || response.write(chunk)) return resolve();
    const done = () => {
      response.off('drain', done);
      response.off('close', done);
      resolve();
    };
    response.on('drain', done);
    response.on('close', done);
  });
}

/** The event routes: the live stream (server-sent events) and the recent events. */
export const eventRoutes: readonly ApiRoute[] = [
  defineRoute({
    method: 'GET',
    path: '/api/v1/events',
    operationId: 'streamEvents',
    summary: 'Follow the event stream (server-sent events)',
    description:
      'Each event is sent as "id: <stream id>", "event: <type>" and "data: <event JSON>". A Last-Event-ID header (a browser reconnecting) resumes after that event and overrides from. ' +
      'A ": keep-alive" comment is sent every 15 s. A browser\'s EventSource cannot send headers: it may pass the token as the access_token query parameter instead.',
    scope: 'read',
    acceptsQueryToken: true,
    params: noParametersSchema,
    query: eventsQuerySchema,
    responses: { 200: { description: 'The stream of events.', contentType: 'text/event-stream', schema: eventSchema } },
    handle: async ({ operations, query, request, reply, keepAliveMs, openStreams, log }) => {
      const types = typesOf(query.types);
      const from = startOf(query.from, request.headers['last-event-id']);
      const response = reply.raw;
      // Subscribing throws on bad input before anything is sent, so such errors still answer 400;
      // its handler runs only later, after the head below is written.
      const subscription: EventSubscription = operations.events.subscribe(types, (event) => write(response, formatServerSentEvent(event)), { from });
      reply.hijack();
      response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
      response.write(': connected\n\n');
      const keepAlive = setInterval(() => void write(response, ': keep-alive\n\n'), keepAliveMs);
      let closing: Promise<void> | undefined;
      const close = (): Promise<void> =>
        (closing ??= (async () => {
          clearInterval(keepAlive);
          openStreams.delete(close);
          await subscription.close().catch(() => undefined);
          response.end();
        })());
      openStreams.add(close);
      response.on('close', () => void close());
      subscription.done.then(
        () => void close(),
        (error: unknown) => {
          log.warn({ err: error }, 'reading the event stream failed; closing the client stream');
          void close();
        },
      );
      return undefined;
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/api/v1/events/recent',
    operationId: 'recentEvents',
    summary: 'The newest events, oldest first',
    scope: 'read',
    params: noParametersSchema,
    query: recentEventsQuerySchema,
    responses: { 200: { description: 'The events.', schema: eventListSchema } },
    handle: async ({ operations, query }) => ({ status: 200, body: { events: await operations.events.recent(typesOf(query.types), { limit: query.limit ?? 100 }) } }),
  }),
];
