import { compileTrigger, nextFireTimes, type TriggerSpec } from '@sundial/shared';

/** One case of the trigger engine benchmark. */
export interface TriggerCase {
  readonly name: string;
  /** Operations per benchmark iteration: cheap operations are batched so timer resolution does not dominate. */
  readonly batch: number;
  readonly unit: 'µs' | 'ms';
  /** The most one operation may cost, in `unit`; none when the case is informational. */
  readonly targetPerOp?: number;
  readonly run: () => void;
}

/** The measured median of one case. */
export interface TriggerCaseResult {
  name: string;
  unit: 'µs' | 'ms';
  /** Median cost of one operation, in `unit`. */
  medianPerOp: number;
  targetPerOp?: number;
  /** Whether the median is within the target; undefined without a target. */
  withinTarget?: boolean;
  /** Benchmark iterations measured. */
  samples: number;
}

const YEAR_MS = 365 * 86_400_000;
const BASE = Date.parse('2026-01-01T00:00:00Z');
/** Starting instants spread over a year, so zones' transitions and month ends are all visited. */
const FROMS = Array.from({ length: 1_000 }, (_, i) => BASE + Math.floor((i * 7_919 * 86_400_000) % YEAR_MS) + i * 13_001);

function nextCase(name: string, trigger: TriggerSpec, targetUs?: number): TriggerCase {
  const compiled = compileTrigger(trigger);
  return {
    name,
    batch: FROMS.length,
    unit: 'µs',
    targetPerOp: targetUs,
    run: () => {
      for (const from of FROMS) compiled.nextNominal(from);
    },
  };
}

const berlin: TriggerSpec = { cron: '*/5 * * * *', timezone: 'Europe/Berlin' };

/** The trigger engine cases: next-fire-time cost per trigger kind and zone, and compile cost. */
export function triggerCases(): TriggerCase[] {
  return [
    nextCase('next fire time: */5 * * * * in Europe/Berlin (compiled trigger)', berlin, 10),
    {
      name: 'next fire time: */5 * * * * in Europe/Berlin via nextFireTimes (validation cached)',
      batch: 100,
      unit: 'µs',
      targetPerOp: 10,
      run: () => {
        for (let i = 0; i < 100; i++) nextFireTimes(berlin, { from: FROMS[i] ?? BASE, count: 1 });
      },
    },
    {
      name: 'next 1,000 fire times: * * * * * * via nextFireTimes',
      batch: 1,
      unit: 'ms',
      targetPerOp: 10,
      run: () => {
        nextFireTimes({ cron: '* * * * * *' }, { from: BASE, count: 1_000 });
      },
    },
    nextCase('next fire time: 30 2 * * * in America/New_York (fixed time, DST rule)', { cron: '30 2 * * *', timezone: 'America/New_York' }),
    nextCase('next fire time: 0 9 * * MON-FRI in Australia/Lord_Howe', { cron: '0 9 * * MON-FRI', timezone: 'Australia/Lord_Howe' }),
    nextCase('next fire time: 0 0 29 2 * in Europe/Berlin (every 4 years)', { cron: '0 0 29 2 *', timezone: 'Europe/Berlin' }),
    nextCase('next fire time: calendar monthly at 09:30 in Europe/Berlin', { calendar: { months: 1, time: '09:30' }, start: '2026-01-31', timezone: 'Europe/Berlin' }),
    nextCase('next fire time: every 15m', { every: '15m' }),
    nextCase('next fire time: or of two crons in Europe/Berlin', { or: [{ cron: '0 9 * * MON-FRI' }, { cron: '0 12 * * SAT' }], timezone: 'Europe/Berlin' }),
    {
      name: 'validate and compile a new cron trigger (cache miss)',
      batch: 1,
      unit: 'µs',
      run: () => {
        compileTrigger({ cron: `${Math.floor(Math.random() * 60)} 9 * * MON-FRI`, timezone: 'Europe/Berlin' });
      },
    },
  ];
}

/** Options of {@link measureTriggerCases}. */
export interface MeasureOptions {
  /** How long each case is measured, in ms. @defaultValue 1000 */
  timeMs?: number;
  /** How long each case warms up first, in ms. @defaultValue 200 */
  warmupMs?: number;
}

/** Measures `cases` with tinybench and returns the median cost per operation of each. */
export async function measureTriggerCases(cases: readonly TriggerCase[], options: MeasureOptions = {}): Promise<TriggerCaseResult[]> {
  // tinybench is an ES module; this code is CommonJS like the packages it measures.
  const { Bench } = await import('tinybench');
  const bench = new Bench({ time: options.timeMs ?? 1_000, warmupTime: options.warmupMs ?? 200 });
  for (const c of cases) bench.add(c.name, c.run);
  await bench.run();
  return cases.map((c) => {
    const result = bench.getTask(c.name)?.result;
    if (!result || !('latency' in result)) throw new Error(`benchmark "${c.name}" did not complete`);
    const perOpMs = result.latency.p50 / c.batch;
    const medianPerOp = c.unit === 'µs' ? perOpMs * 1_000 : perOpMs;
    return {
      name: c.name,
      unit: c.unit,
      medianPerOp,
      samples: result.latency.samplesCount,
      ...(c.targetPerOp !== undefined && { targetPerOp: c.targetPerOp, withinTarget: medianPerOp <= c.targetPerOp }),
    };
  });
}

/** A cost with its unit, e.g. "3.21 µs". */
export function formatCost(value: number, unit: 'µs' | 'ms'): string {
  return `${value.toFixed(value < 1 ? 3 : value < 10 ? 2 : 1)} ${unit}`;
}
