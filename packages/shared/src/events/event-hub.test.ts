import { EventHub } from './event-hub';
import type { SundialEvent } from './event-types';

const started: SundialEvent = { type: 'run.started', time: '2026-01-01T00:00:00.000Z', runId: 'a@1' };
const failed: SundialEvent = { type: 'run.failed', time: '2026-01-01T00:00:01.000Z', runId: 'a@1' };

describe('EventHub', () => {
  it('calls the hooks of the event type, and the hooks of every type', () => {
    const hub = new EventHub();
    const seen: string[] = [];
    hub.on('run.started', (event) => void seen.push(`one:${event.type}`));
    hub.on(['run.started', 'run.failed'], (event) => void seen.push(`two:${event.type}`));
    hub.on('*', (event) => void seen.push(`all:${event.type}`));
    hub.emit(started);
    hub.emit(failed);
    expect(seen).toEqual(['one:run.started', 'two:run.started', 'all:run.started', 'two:run.failed', 'all:run.failed']);
  });

  it('stops calling a hook once it is removed', () => {
    const hub = new EventHub();
    const seen: string[] = [];
    const off = hub.on('run.started', (event) => void seen.push(event.type));
    hub.emit(started);
    off();
    hub.emit(started);
    expect(seen).toEqual(['run.started']);
    expect(hub.wants('run.started')).toBe(false);
  });

  it('logs a hook that throws or rejects and still calls the others', async () => {
    const warnings: string[] = [];
    const hub = new EventHub({ warn: (details) => void warnings.push((details as { eventType: string }).eventType) });
    const seen: string[] = [];
    hub.on('run.started', () => {
      throw new Error('broken hook');
    });
    hub.on('run.started', () => Promise.reject(new Error('broken async hook')));
    hub.on('run.started', (event) => void seen.push(event.type));
    expect(() => hub.emit(started)).not.toThrow();
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen).toEqual(['run.started']);
    expect(warnings).toEqual(['run.started', 'run.started']);
  });

  it('says whether anyone listens to a type', () => {
    const hub = new EventHub();
    expect(hub.wants('run.failed')).toBe(false);
    hub.on('*', () => undefined);
    expect(hub.wants('run.failed')).toBe(true);
  });
});
