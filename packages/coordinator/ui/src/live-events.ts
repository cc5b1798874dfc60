import type { ApiClient } from './api-client';
import type { SundialEvent } from './api-types';

/** The run event types, which change what the run list shows. */
export const RUN_EVENT_TYPES = ['run.enqueued', 'run.started', 'run.succeeded', 'run.failed', 'run.retrying', 'run.timed_out', 'run.stalled', 'run.missed', 'run.skipped', 'run.paused', 'run.cancelled'];

/** How long events are gathered before a view reads the API again. */
export const LIVE_DEBOUNCE_MS = 250;

/**
 * Follows the API's event stream (server-sent events) for `types`; the browser reconnects by
 * itself, resuming after the last event it saw. Returns a function that stops it.
 */
export function followEvents(client: ApiClient, types: readonly string[], handle: (event: SundialEvent) => void): () => void {
  const source = new EventSource(client.eventsUrl(types));
  const listener = (message: MessageEvent<string>) => {
    try {
      handle(JSON.parse(message.data) as SundialEvent);
    } catch {
      // A malformed message is skipped; the next refresh shows the state anyway.
    }
  };
  for (const type of types) source.addEventListener(type, listener);
  return () => source.close();
}
