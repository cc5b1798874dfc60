import type { BenchRedis } from './bench-redis';
import type { MachineInfo } from './machine';

/** A markdown table of a scenario's report. */
export interface ReportTable {
  /** The heading printed above the table. */
  title: string;
  /** Column headings. */
  columns: string[];
  /** One array of cells per row, in column order. */
  rows: (string | number)[][];
}

/** A goal of the requirement and whether the run reached it. */
export interface GoalCheck {
  /** The goal as the requirement states it, e.g. "p99 lateness ≤ 25 ms". */
  goal: string;
  /** The measured figure the verdict rests on, e.g. "p99 = 7.1 ms (BullMQ: 980 ms, ratio 0.01)". */
  figure: string;
  /** Whether the figure reaches the goal. */
  met: boolean;
}

/** Everything one run of a scenario measured; written as JSON to `bench/results/<scenario>.json`. */
export interface ScenarioResult {
  /** The scenario's name, as given on the command line. */
  scenario: string;
  /** Its title for the report. */
  title: string;
  /** When the run started (ISO-8601). */
  startedAt: string;
  /** How long the run took. */
  durationMs: number;
  /** The machine it ran on. */
  machine: MachineInfo;
  /** The tables of the report. */
  tables: ReportTable[];
  /** The goals and whether they were reached. */
  goals: GoalCheck[];
  /** Method notes and observations printed under the tables. */
  notes: string[];
  /** The raw figures, for later comparison. */
  data: unknown;
}

/** What a scenario gets to run with. */
export interface ScenarioContext {
  /** The Redis to measure on; both Sundial and BullMQ use it. */
  redis: BenchRedis;
  /** Shorter durations and fewer steps, for a smoke test. */
  quick: boolean;
  /** Prints one progress line to stderr. */
  progress(line: string): void;
}

/** What a scenario's `run` returns; the runner adds the rest of {@link ScenarioResult}. */
export type ScenarioOutcome = Omit<ScenarioResult, 'scenario' | 'title' | 'startedAt' | 'durationMs' | 'machine'>;

/** One benchmark scenario: a module `bench/scenarios/<name>.ts` exports it as `scenario`. */
export interface Scenario {
  /** The name given on the command line, e.g. "precision". */
  name: string;
  /** A title for the report. */
  title: string;
  /** Measures, and cleans up everything it started or wrote, also when it fails. */
  run(ctx: ScenarioContext): Promise<ScenarioOutcome>;
}
