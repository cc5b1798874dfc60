/** Percentiles and extremes of a set of samples, in the samples' unit. */
export interface Summary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

/** The nearest-rank percentile `p` (0 < p ≤ 100) of samples sorted ascending. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

/**
 * Exact nearest-rank percentiles of `samplesMs` (no histogram buckets, no interpolation). An empty
 * input gives a count of 0 and `NaN` figures.
 */
export function summarize(samplesMs: readonly number[]): Summary {
  const sorted = Float64Array.from(samplesMs).sort();
  const values = Array.from(sorted);
  let sum = 0;
  for (const value of values) sum += value;
  return {
    count: values.length,
    p50: percentile(values, 50),
    p95: percentile(values, 95),
    p99: percentile(values, 99),
    max: values.length === 0 ? Number.NaN : (values[values.length - 1] as number),
    mean: values.length === 0 ? Number.NaN : sum / values.length,
  };
}

/** A figure for a table: fixed decimals that shrink as the value grows; "–" for NaN. */
export function formatNumber(value: number, decimals = 1): string {
  if (!Number.isFinite(value)) return '–';
  if (Math.abs(value) >= 1_000) return Math.round(value).toLocaleString('en-US');
  return value.toFixed(decimals);
}

/** `a / b` for a ratio column, e.g. "0.25×"; "–" when either is not a positive finite number. */
export function formatRatio(a: number, b: number): string {
  if (!Number.isFinite(a) || !Number.isFinite(b) || b <= 0) return '–';
  const ratio = a / b;
  return `${ratio >= 10 ? ratio.toFixed(0) : ratio >= 1 ? ratio.toFixed(2) : ratio.toFixed(3)}×`;
}

/** The p50, p95, p99 and max of a summary as table cells. */
export function percentileCells(summary: Summary): string[] {
  return [summary.p50, summary.p95, summary.p99, summary.max].map((value) => formatNumber(value));
}
