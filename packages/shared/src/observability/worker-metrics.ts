import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * How an attempt of a run ended, as `sundial_runs_total` labels it. Each finished attempt counts
 * once: `timed_out` (it hit its time limit, retried or not), `cancelled` (aborted by a cancel),
 * `retried` (any other failure after which the run is tried again, a shutdown interruption
 * included), `failed` (the run failed for good), `succeeded`; `stalled` is counted by the worker
 * that finds a run whose worker stopped renewing its lock.
 */
export const RUN_OUTCOMES = ['succeeded', 'failed', 'retried', 'timed_out', 'stalled', 'cancelled'] as const;

/** One of {@link RUN_OUTCOMES}. */
export type RunMetricOutcome = (typeof RUN_OUTCOMES)[number];

/** Buckets of `sundial_run_duration_seconds`: 1 ms to 1 h. */
export const RUN_DURATION_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 1800, 3600];
/** Buckets of `sundial_run_start_delay_seconds`: 1 ms to 60 s. */
export const RUN_START_DELAY_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** What a worker's metrics describe from the start. */
export interface WorkerMetricsOptions {
  /** The tasks the worker runs: their series start at 0, so rates work from the first scrape. */
  readonly tasks: readonly string[];
  /** The worker's configured concurrency (`sundial_worker_concurrency`). */
  readonly concurrency: number;
  /** Labels added to every series, e.g. `{ namespace }` for a process serving several namespaces. @defaultValue none */
  readonly labels?: Readonly<Record<string, string>>;
  /** Whether the registry also holds prom-client's default process metrics. @defaultValue true */
  readonly processMetrics?: boolean;
}

/** A worker's metrics, in a registry of its own (with Node's default process metrics). */
export class WorkerMetrics {
  readonly registry = new Registry();
  private readonly runs = new Counter({
    name: 'sundial_runs_total',
    help: 'Run attempts this worker finished (and stalled runs it found), by task and outcome',
    labelNames: ['task', 'outcome'],
    registers: [this.registry],
  });
  private readonly duration = new Histogram({
    name: 'sundial_run_duration_seconds',
    help: 'How long run attempts took, from handler start to end, by task',
    labelNames: ['task'],
    buckets: RUN_DURATION_BUCKETS,
    registers: [this.registry],
  });
  private readonly startDelay = new Histogram({
    name: 'sundial_run_start_delay_seconds',
    help: "Time from a run's due time (nominal fire time plus jitter) to the start of its first attempt, by task",
    labelNames: ['task'],
    buckets: RUN_START_DELAY_BUCKETS,
    registers: [this.registry],
  });
  private readonly inFlight = new Gauge({ name: 'sundial_runs_in_flight', help: 'Run attempts executing now, by task', labelNames: ['task'], registers: [this.registry] });
  private readonly held = new Gauge({ name: 'sundial_runs_held', help: 'Runs handed over ahead of their time and held by this worker until then, by task', labelNames: ['task'], registers: [this.registry] });
  private readonly concurrency = new Gauge({ name: 'sundial_worker_concurrency', help: 'Runs this worker executes at once at most (configured)', registers: [this.registry] });

  constructor(options: WorkerMetricsOptions) {
    if (options.labels) this.registry.setDefaultLabels({ ...options.labels });
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry });
    this.concurrency.set(options.concurrency);
    for (const task of options.tasks) {
      for (const outcome of RUN_OUTCOMES) this.runs.inc({ task, outcome }, 0);
      this.duration.zero({ task });
      this.startDelay.zero({ task });
      this.inFlight.set({ task }, 0);
      this.held.set({ task }, 0);
    }
  }

  /** A run of `task` handed over ahead of its time is held until then. */
  holding(task: string): void {
    this.held.inc({ task });
  }

  /** A run that {@link holding} counted is no longer held: its time came, it was cancelled, or it went back to its queue. */
  released(task: string): void {
    this.held.dec({ task });
  }

  /** An attempt of `task` started executing. */
  started(task: string): void {
    this.inFlight.inc({ task });
  }

  /** An attempt that {@link started} stopped executing. */
  ended(task: string): void {
    this.inFlight.dec({ task });
  }

  /** An attempt of `task` that {@link ended} is settled with `outcome`, after `durationMs`. */
  finished(task: string, outcome: Exclude<RunMetricOutcome, 'stalled'>, durationMs: number): void {
    this.runs.inc({ task, outcome });
    this.duration.observe({ task }, durationMs / 1_000);
  }

  /** The first attempt of a run of `task` started `delayMs` after the run was due. */
  startDelayed(task: string, delayMs: number): void {
    this.startDelay.observe({ task }, Math.max(0, delayMs) / 1_000);
  }

  /** A run of `task` lost its worker and went back to its queue. */
  stalled(task: string): void {
    this.runs.inc({ task, outcome: 'stalled' });
  }
}
