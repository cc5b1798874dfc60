import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { QueueDepth } from '../store/queue-depth';
import { QUEUE_JOB_STATES } from '../store/queue-depth';
import type { QueueWorkers } from '../store/queue-workers';
import type { ScheduleCounts } from '../store/schedule-counts';

/** What became of fire times, as `sundial_fires_total` counts them. */
export type FireOutcome = 'enqueued' | 'missed' | 'skipped';

/** The fire outcomes, in the order they are listed. */
export const FIRE_OUTCOMES: readonly FireOutcome[] = ['enqueued', 'missed', 'skipped'];

/** What a coordinator's gauges read when they are scraped. */
export interface CoordinatorMetricSources {
  /** The epoch of the lease held now; undefined while not the leader. */
  leaseEpoch(): number | undefined;
  /** Redis time minus local time in milliseconds, as last measured. */
  clockSkewMs(): number;
  /** The namespace's schedules by state; read only while this coordinator leads. */
  scheduleCounts(): Promise<ScheduleCounts>;
  /** The job counts of the namespace's queues; read only while this coordinator leads. */
  queueDepths(): Promise<readonly QueueDepth[]>;
  /** The live workers serving each queue of the namespace; read only while this coordinator leads. */
  queueWorkers(): Promise<readonly QueueWorkers[]>;
}

/** Options of {@link CoordinatorMetrics}. */
export interface CoordinatorMetricsOptions {
  /**
   * Also count fires per schedule in `sundial_schedule_fires_total{schedule,outcome}`: one series
   * per schedule and outcome, so only for namespaces with a bounded number of schedules.
   * @defaultValue false
   */
  readonly perScheduleMetrics?: boolean;
  /**
   * Labels added to every series, e.g. `{ namespace }` when one process leads several namespaces
   * and serves their metrics together.
   * @defaultValue none
   */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Whether the registry also holds prom-client's default process metrics; off for registries that
   * are served together with another that has them.
   * @defaultValue true
   */
  readonly processMetrics?: boolean;
}

/** Buckets from 1 ms to 10 s, for latencies whose objectives lie anywhere in that range. */
const LATENCY_BUCKETS_SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * A coordinator's metrics, in a registry of its own (with prom-client's default process metrics).
 * The namespace-wide gauges `sundial_schedules`, `sundial_queue_jobs` and `sundial_queue_workers`
 * have samples only on the leader, so summing over every coordinator of a namespace counts nothing twice.
 */
export class CoordinatorMetrics {
  readonly registry = new Registry();
  private readonly transitions: Counter;
  private readonly fires: Counter<'queue' | 'outcome'>;
  private readonly scheduleFires: Counter<'schedule' | 'outcome'> | undefined;
  private readonly lateness: Histogram<'queue'>;
  private readonly tickDuration: Histogram;
  private readonly seenQueues = new Set<string>();
  private readonly seenSchedules = new Set<string>();

  constructor(sources: CoordinatorMetricSources, options: CoordinatorMetricsOptions = {}) {
    const registers = [this.registry];
    let lastEpoch = 0;
    new Gauge({
      name: 'sundial_leader',
      help: '1 while this coordinator is the leader of its namespace, else 0',
      registers,
      collect() {
        this.set(sources.leaseEpoch() === undefined ? 0 : 1);
      },
    });
    new Gauge({
      name: 'sundial_leader_epoch',
      help: 'The fencing epoch of the lease this coordinator holds, else of the last one it held (0 before it led)',
      registers,
      collect() {
        lastEpoch = sources.leaseEpoch() ?? lastEpoch;
        this.set(lastEpoch);
      },
    });
    this.transitions = new Counter({
      name: 'sundial_leader_transitions_total',
      help: 'Changes of this coordinator\'s leadership: each time it became the leader and each time it stopped being it',
      registers,
    });
    new Gauge({
      name: 'sundial_clock_skew_seconds',
      help: 'Redis time minus local time, as last measured; Sundial decides fire times by Redis time',
      registers,
      collect() {
        this.set(sources.clockSkewMs() / 1_000);
      },
    });
    this.fires = new Counter({
      name: 'sundial_fires_total',
      help: 'Fire times this coordinator handled while leading, by queue and outcome: enqueued (including trigger-now, backfill and buffered fires), missed (past the misfire grace) or skipped (coalesced, over the catch-up limit, or by the overlap policy)',
      labelNames: ['queue', 'outcome'],
      registers,
    });
    this.scheduleFires = options.perScheduleMetrics
      ? new Counter({
          name: 'sundial_schedule_fires_total',
          help: 'Fire times this coordinator handled while leading, by schedule and outcome (enqueued, missed, skipped), as sundial_fires_total counts them',
          labelNames: ['schedule', 'outcome'],
          registers,
        })
      : undefined;
    this.lateness = new Histogram({
      name: 'sundial_fire_lateness_seconds',
      help: 'Time from a scheduled run\'s due time (nominal fire time plus jitter) until its job was added to BullMQ, by queue; buffered runs and trigger-now or backfill runs are not observed',
      labelNames: ['queue'],
      buckets: LATENCY_BUCKETS_SECONDS,
      registers,
    });
    this.tickDuration = new Histogram({
      name: 'sundial_tick_duration_seconds',
      help: 'Duration of the leader\'s fire-loop ticks (read due schedules, commit, add jobs to BullMQ)',
      buckets: LATENCY_BUCKETS_SECONDS,
      registers,
    });
    new Gauge({
      name: 'sundial_schedules',
      help: 'Schedules of the namespace by state (active, paused, finished); exported by the leader only, so a sum over coordinators counts each once',
      labelNames: ['state'],
      registers,
      async collect() {
        this.reset();
        if (sources.leaseEpoch() === undefined) return;
        const counts = await sources.scheduleCounts();
        for (const state of ['active', 'paused', 'finished'] as const) this.set({ state }, counts[state]);
      },
    });
    new Gauge({
      name: 'sundial_queue_jobs',
      help: 'Jobs in the namespace\'s BullMQ queues by queue and state, as BullMQ counts them; exported by the leader only, so a sum over coordinators counts each once',
      labelNames: ['queue', 'state'],
      registers,
      async collect() {
        this.reset();
        if (sources.leaseEpoch() === undefined) return;
        for (const depth of await sources.queueDepths()) {
          for (const state of QUEUE_JOB_STATES) this.set({ queue: depth.name, state }, depth[state]);
        }
      },
    });
    new Gauge({
      name: 'sundial_queue_workers',
      help: 'Live workers serving each of the namespace\'s queues, from their heartbeats (0 for a queue schedules use but no worker serves); exported by the leader only, so a sum over coordinators counts each once',
      labelNames: ['queue'],
      registers,
      async collect() {
        this.reset();
        if (sources.leaseEpoch() === undefined) return;
        for (const queue of await sources.queueWorkers()) this.set({ queue: queue.name }, queue.workers);
      },
    });
    if (options.labels) this.registry.setDefaultLabels({ ...options.labels });
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  /** Counts one change of this coordinator's leadership (won or lost). */
  leadershipChanged(): void {
    this.transitions.inc();
  }

  /** Counts `count` fire times of a schedule with the given outcome. */
  countFires(queue: string, scheduleId: string, outcome: FireOutcome, count = 1): void {
    if (count <= 0) return;
    // Every outcome of a queue (and schedule) starts at 0, so rate() and increase() see its first fire.
    if (!this.seenQueues.has(queue)) {
      this.seenQueues.add(queue);
      for (const each of FIRE_OUTCOMES) this.fires.inc({ queue, outcome: each }, 0);
    }
    this.fires.inc({ queue, outcome }, count);
    if (this.scheduleFires) {
      if (!this.seenSchedules.has(scheduleId)) {
        this.seenSchedules.add(scheduleId);
        for (const each of FIRE_OUTCOMES) this.scheduleFires.inc({ schedule: scheduleId, outcome: each }, 0);
      }
      this.scheduleFires.inc({ schedule: scheduleId, outcome }, count);
    }
  }

  /** Observes how late a scheduled run's job was added to BullMQ, in milliseconds past its due time. */
  observeLateness(queue: string, latenessMs: number): void {
    this.lateness.observe({ queue }, Math.max(0, latenessMs) / 1_000);
  }

  /** Observes the duration of one fire-loop tick, in milliseconds. */
  observeTick(durationMs: number): void {
    this.tickDuration.observe(durationMs / 1_000);
  }
}
