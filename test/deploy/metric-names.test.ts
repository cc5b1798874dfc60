import { metricNamesIn, registeredMetrics, undefinedMetricNames } from './metric-names';

describe('metric names in PromQL', () => {
  it.each([
    ['sum by (namespace) (sundial_leader) < 1 or absent(sundial_leader)', ['sundial_leader']],
    ['histogram_quantile(0.99, sum by (le, queue) (rate(sundial_fire_lateness_seconds_bucket{queue=~"a|b"}[5m])))', ['sundial_fire_lateness_seconds_bucket']],
    ['a:b:rate5m > 0 and on (namespace, queue) other_metric == 0', ['a:b:rate5m', 'other_metric']],
    ['sum(sundial_runs_total{namespace=~"$namespace", outcome!="stalled"}[$__rate_interval]) / ignoring(x) group_left(y) z', ['sundial_runs_total', 'z']],
    ['deriv(x[15m:1m]) > 1e3 offset 5m', ['x']],
  ])('%s', (expression, names) => {
    expect(metricNamesIn(expression).sort()).toEqual([...names].sort());
  });

  it('finds names the code does not register, counting histogram series as their histogram', async () => {
    const registered = await registeredMetrics();
    expect([...registered.keys()]).toEqual(expect.arrayContaining(['sundial_leader', 'sundial_queue_workers', 'sundial_schedule_fires_total', 'sundial_runs_total', 'process_cpu_seconds_total']));
    expect(undefinedMetricNames(['sundial_leader', 'sundial_run_duration_seconds_bucket', 'sundial_run_duration_seconds_count', 'sundial_leaders', 'sundial_runs_total_bucket'], registered)).toEqual(['sundial_leaders', 'sundial_runs_total_bucket']);
  });
});
