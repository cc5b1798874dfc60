import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** How an attempt of a run ended, as the worker's metrics label it. */
export type RunMetricOutcome = 'succeeded' | 'failed' | 'retrying' | 'dropped';

/** A worker's metrics, in a registry of its own (with Node's default process metrics). */
export class WorkerMetrics {
  readonly registry = new Registry();
  private readonly runs = new Counter({ name: 'sundial_runs_total', help: 'Run attempts this worker finished, by task and outcome', labelNames: ['task', 'outcome'], registers: [this.registry] });
  private readonly duration = new Histogram({
    name: 'sundial_run_duration_seconds',
    help: 'How long run attempts took, by task and outcome',
    labelNames: ['task', 'outcome'],
    buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600],
    registers: [this.registry],
  });
  private readonly inFlight = new Gauge({ name: 'sundial_runs_in_flight', help: 'Run attempts executing now, by task', labelNames: ['task'], registers: [this.registry] });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** An attempt of `task` started executing. */
  started(task: string): void {
    this.inFlight.inc({ task });
  }

  /** An attempt that {@link started} ended. */
  ended(task: string): void {
    this.inFlight.dec({ task });
  }

  /** An attempt ended with `outcome` after `durationMs` (none for a dropped duplicate). */
  record(task: string, outcome: RunMetricOutcome, durationMs?: number): void {
    this.runs.inc({ task, outcome });
    if (durationMs !== undefined) this.duration.observe({ task, outcome }, durationMs / 1_000);
  }
}
