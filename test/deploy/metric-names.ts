import { CoordinatorMetrics, WorkerMetrics } from '@sundial/shared';

/** Words of PromQL that look like metric names and are not. */
const KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'and', 'or', 'unless', 'offset', 'inf', 'nan', 'atan2']);

/** The suffixes of a histogram's series. */
const HISTOGRAM_SUFFIXES = ['_bucket', '_sum', '_count'];

/**
 * The metric names a PromQL expression selects: identifiers outside strings, label matchers,
 * ranges and grouping clauses, that are neither keywords nor functions. Grafana variables
 * (`$name`, `${name}`) are ignored.
 */
export function metricNamesIn(expression: string): string[] {
  const bare = expression
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""')
    .replace(/\$\{?\w+\}?/g, ' ')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names = new Set<string>();
  for (const match of bare.matchAll(/(?<![\w:.])([a-zA-Z_:][\w:]*)(?![\w:])(\s*\()?/g)) {
    const [, name, call] = match as unknown as [string, string, string | undefined];
    if (call === undefined && !KEYWORDS.has(name.toLowerCase())) names.add(name);
  }
  return [...names];
}

/**
 * Every metric Sundial's processes register, name to type (`counter`, `gauge`, `histogram`, ...): a
 * coordinator's (with per-schedule metrics) and a worker's, default process metrics included, read
 * from real registries.
 */
export async function registeredMetrics(): Promise<Map<string, string>> {
  const coordinator = new CoordinatorMetrics(
    {
      leaseEpoch: () => undefined,
      clockSkewMs: () => 0,
      scheduleCounts: async () => ({ active: 0, paused: 0, finished: 0 }),
      queueDepths: async () => [],
      queueWorkers: async () => [],
    },
    { perScheduleMetrics: true },
  );
  const worker = new WorkerMetrics({ tasks: ['work'], concurrency: 1 });
  const metrics = [...(await coordinator.registry.getMetricsAsJSON()), ...(await worker.registry.getMetricsAsJSON())];
  return new Map(metrics.map((metric) => [metric.name, String(metric.type)]));
}

/** The names in `used` that are neither in `defined` (name to type) nor a series of a histogram in it. */
export function undefinedMetricNames(used: Iterable<string>, defined: ReadonlyMap<string, string>): string[] {
  const known = (name: string) => defined.has(name) || HISTOGRAM_SUFFIXES.some((suffix) => name.endsWith(suffix) && defined.get(name.slice(0, -suffix.length)) === 'histogram');
  return [...new Set(used)].filter((name) => !known(name)).sort();
}
