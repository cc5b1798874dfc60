import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

/** The fire outcomes a coordinator counts. */
export interface FireCounts {
  readonly enqueued: number;
  readonly skipped: number;
  readonly buffered: number;
  readonly recorded: number;
}

/** What a coordinator's gauges read when they are scraped. */
export interface CoordinatorMetricSources {
  /** The epoch of the lease held now; undefined while not the leader. */
  leaseEpoch(): number | undefined;
  /** Redis time minus local time in milliseconds, as last measured. */
  clockSkewMs(): number;
}

/** A coordinator's metrics, in a registry of its own (with Node's default process metrics). */
export class CoordinatorMetrics {
  readonly registry = new Registry();
  private readonly fires = new Counter({ name: 'sundial_fires_total', help: 'Fire times this coordinator handled, by outcome', labelNames: ['outcome'], registers: [this.registry] });

  constructor(sources: CoordinatorMetricSources) {
    let lastEpoch = 0;
    const registers = [this.registry];
    new Gauge({
      name: 'sundial_leader',
      help: '1 while this coordinator is the leader, else 0',
      registers,
      collect() {
        this.set(sources.leaseEpoch() === undefined ? 0 : 1);
      },
    });
    new Gauge({
      name: 'sundial_leader_epoch',
      help: 'The epoch of the lease this coordinator holds, else of the last one it held (0 before it led)',
      registers,
      collect() {
        lastEpoch = sources.leaseEpoch() ?? lastEpoch;
        this.set(lastEpoch);
      },
    });
    new Gauge({
      name: 'sundial_clock_skew_seconds',
      help: 'Redis time minus local time, as last measured',
      registers,
      collect() {
        this.set(sources.clockSkewMs() / 1_000);
      },
    });
    collectDefaultMetrics({ register: this.registry });
    for (const outcome of ['enqueued', 'skipped', 'buffered', 'recorded']) this.fires.inc({ outcome }, 0);
  }

  /** Adds the counts of one fire-loop tick. */
  countFires(counts: FireCounts): void {
    for (const outcome of ['enqueued', 'skipped', 'buffered', 'recorded'] as const) {
      if (counts[outcome] > 0) this.fires.inc({ outcome }, counts[outcome]);
    }
  }
}
