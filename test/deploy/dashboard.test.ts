import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { startPrometheus, type PrometheusServer } from '../support/prometheus';
import { metricNamesIn, registeredMetrics, undefinedMetricNames } from './metric-names';

// The shipped Grafana dashboard and its provisioning: a fixed uid, every query through the
// datasource variable, valid PromQL over metrics the code registers and the shipped recording rules.

jest.setTimeout(20_000);

const ROOT = path.join(__dirname, '..', '..');
const read = (...parts: string[]) => readFileSync(path.join(ROOT, 'deploy', ...parts), 'utf8');

interface Target {
  readonly datasource?: { type?: string; uid?: string };
  readonly expr?: string;
  readonly refId: string;
}

interface Panel {
  readonly id: number;
  readonly type: string;
  readonly title: string;
  readonly datasource?: { type?: string; uid?: string };
  readonly targets?: Target[];
  readonly panels?: Panel[];
}

interface Variable {
  readonly name: string;
  readonly type: string;
  readonly query?: unknown;
  readonly datasource?: { type?: string; uid?: string };
  readonly current?: { value?: unknown };
}

const dashboard = JSON.parse(read('grafana', 'sundial.json')) as { uid: string; title: string; schemaVersion: number; templating: { list: Variable[] }; panels: Panel[] };
const panels = dashboard.panels.flatMap((panel) => [panel, ...(panel.panels ?? [])]).filter((panel) => panel.type !== 'row');
const targets = panels.flatMap((panel) => (panel.targets ?? []).map((target) => ({ panel: panel.title, ...target })));
const expressions = targets.map((target) => target.expr ?? '');
const viaVariable = { type: 'prometheus', uid: '${datasource}' };

describe('deploy/grafana/sundial.json', () => {
  it('has a fixed uid, a classic schema and a datasource variable of type prometheus', () => {
    expect(dashboard).toMatchObject({ uid: 'sundial', title: 'Sundial' });
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(36);
    expect(dashboard.templating.list.find((variable) => variable.name === 'datasource')).toMatchObject({ type: 'datasource', query: 'prometheus' });
  });

  it('queries through the datasource variable in every panel, target and query variable', () => {
    expect(panels.length).toBeGreaterThanOrEqual(12);
    for (const panel of panels) expect({ panel: panel.title, datasource: panel.datasource }).toEqual({ panel: panel.title, datasource: viaVariable });
    for (const target of targets) expect({ panel: target.panel, datasource: target.datasource, expr: typeof target.expr }).toEqual({ panel: target.panel, datasource: viaVariable, expr: 'string' });
    for (const variable of dashboard.templating.list.filter((each) => each.type === 'query')) expect({ variable: variable.name, datasource: variable.datasource }).toEqual({ variable: variable.name, datasource: viaVariable });
    const ids = panels.map((panel) => panel.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('shows what an operator needs: leadership, fires, lateness, runs, duration heatmap, queues, workers, failure ratio, clock skew', () => {
    const used = new Set(expressions.flatMap(metricNamesIn));
    for (const name of [
      'sundial_leader',
      'sundial_leader_transitions_total',
      'sundial_fires_total',
      'namespace_queue:sundial_fire_lateness_seconds:p50_5m',
      'namespace_queue:sundial_fire_lateness_seconds:p99_5m',
      'sundial_runs_total',
      'sundial_run_duration_seconds_bucket',
      'sundial_queue_jobs',
      'sundial_queue_workers',
      'sundial_runs_in_flight',
      'namespace_task:sundial_run_failure_ratio:rate15m',
      'sundial_clock_skew_seconds',
    ]) {
      expect({ name, used: used.has(name) }).toEqual({ name, used: true });
    }
    expect(panels.find((panel) => panel.type === 'heatmap')?.targets?.[0]?.expr).toContain('sundial_run_duration_seconds_bucket');
  });

  it('queries only metrics the code registers, or the shipped recording rules', async () => {
    const defined = await registeredMetrics();
    const { groups } = parse(read('prometheus', 'sundial-rules.yaml')) as { groups: { rules: { record?: string }[] }[] };
    for (const rule of groups.flatMap((group) => group.rules)) if (rule.record !== undefined) defined.set(rule.record, 'recording rule');
    expect(undefinedMetricNames(expressions.flatMap(metricNamesIn), defined)).toEqual([]);
  });

  describe('with a real Prometheus server', () => {
    let prometheus: PrometheusServer;

    beforeAll(async () => {
      prometheus = await startPrometheus({});
    });

    afterAll(async () => {
      await prometheus.stop();
    });

    it('every query is valid PromQL once Grafana has filled in its variables', async () => {
      const filled = (expr: string) => expr.replaceAll('$namespace', '.*').replaceAll('$__rate_interval', '1m');
      expect(await query(prometheus, 'sum by (le) (rate(sundial_nothing[1m])')).toMatchObject({ status: 'error' });
      for (const expr of expressions) expect({ expr, ...(await query(prometheus, filled(expr))) }).toEqual({ expr, status: 'success' });
    });
  });
});

/** The status (and error) of an instant query, asking again while the server is still starting. */
async function query(prometheus: PrometheusServer, expr: string): Promise<{ status: string; error?: string }> {
  for (let attempt = 0; ; attempt += 1) {
    const answer = await fetch(`${prometheus.url}/api/v1/query?query=${encodeURIComponent(expr)}`).catch(() => undefined);
    if (answer !== undefined && answer.status !== 503) {
      const { status, error } = (await answer.json()) as { status: string; error?: string };
      return error === undefined ? { status } : { status, error };
    }
    if (attempt > 200) throw new Error(`Prometheus did not answer:\n${prometheus.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('deploy/grafana/provisioning', () => {
  it('provisions the Prometheus data source under the uid the dashboard uses by default', () => {
    const { datasources } = parse(read('grafana', 'provisioning', 'datasources', 'prometheus.yaml')) as { datasources: { uid: string; type: string; url: string }[] };
    const variable = dashboard.templating.list.find((each) => each.name === 'datasource');
    expect(datasources).toEqual([expect.objectContaining({ type: 'prometheus', url: 'http://prometheus:9090', uid: variable?.current?.value })]);
  });

  it('loads dashboards from a directory through a file provider', () => {
    const { providers } = parse(read('grafana', 'provisioning', 'dashboards', 'sundial.yaml')) as { providers: { type: string; options: { path: string } }[] };
    expect(providers).toEqual([expect.objectContaining({ type: 'file', options: { path: expect.stringMatching(/^\/[\w/.-]+$/) } })]);
  });
});
