import type { CoordinatorMetrics, EventHub, SundialEvent } from '@sundial/shared';
import type { FireObserver, FireRecord } from './fire-observer';

/** Turns what the fire loop reports into metrics and in-process `run.*` events. */
export class FireTelemetry implements FireObserver {
  constructor(
    private readonly metrics: CoordinatorMetrics,
    private readonly hub: EventHub,
  ) {}

  fired(record: FireRecord): void {
    this.metrics.countFires(record.queue, record.scheduleId, record.outcome, record.count);
    const type = `run.${record.outcome}` as const;
    if (!this.hub.wants(type)) return;
    const event: SundialEvent = {
      type,
      time: new Date(record.decidedAtMs).toISOString(),
      scheduleId: record.scheduleId,
      runId: record.runId,
      fireTime: new Date(record.nominalMs).toISOString(),
      status: record.outcome,
      ...(record.reason === '' ? {} : { reason: record.reason }),
      count: record.count,
      task: record.task,
    };
    this.hub.emit(event);
  }

  added(queue: string, latenessMs: number): void {
    this.metrics.observeLateness(queue, latenessMs);
  }

  ticked(durationMs: number): void {
    this.metrics.observeTick(durationMs);
  }
}
