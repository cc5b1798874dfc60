import type { EventHooks, SundialEvent, SundialEventHandler, SundialEventType } from './event-types';

/** Where an `EventHub` reports a hook that threw or rejected. */
export interface EventHubLogger {
  warn(details: object, message: string): void;
}

/**
 * The in-process hooks of a coordinator or worker: `on()` registers a handler, `emit()` calls the
 * handlers of the event's type in registration order. A handler that throws or rejects is logged
 * and never reaches the code that emitted the event.
 */
export class EventHub implements EventHooks {
  private readonly handlers = new Map<SundialEventType | '*', Set<SundialEventHandler>>();

  constructor(private readonly logger?: EventHubLogger) {}

  on(types: SundialEventType | readonly SundialEventType[] | '*', handler: SundialEventHandler): () => void {
    const list: readonly (SundialEventType | '*')[] = typeof types === 'string' ? [types] : types;
    for (const type of list) {
      const set = this.handlers.get(type) ?? new Set();
      set.add(handler);
      this.handlers.set(type, set);
    }
    return () => {
      for (const type of list) this.handlers.get(type)?.delete(handler);
    };
  }

  /** Whether any hook listens to `type`, so callers can skip building events nobody reads. */
  wants(type: SundialEventType): boolean {
    return (this.handlers.get(type)?.size ?? 0) > 0 || (this.handlers.get('*')?.size ?? 0) > 0;
  }

  /** Calls the hooks of `event.type` and the hooks of every type. */
  emit(event: SundialEvent): void {
    for (const handler of [...(this.handlers.get(event.type) ?? []), ...(this.handlers.get('*') ?? [])]) {
      try {
        const result = handler(event);
        if (result instanceof Promise) result.catch((error: unknown) => this.report(event, error));
      } catch (error) {
        this.report(event, error);
      }
    }
  }

  private report(event: SundialEvent, error: unknown): void {
    this.logger?.warn({ err: error, eventType: event.type }, 'an event hook failed');
  }
}
