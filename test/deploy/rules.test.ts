import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { requirePrometheusBinary } from '../support/prometheus';
import { metricNamesIn, registeredMetrics, undefinedMetricNames } from './metric-names';

// The shipped Prometheus rules: valid, unit-tested with promtool, the same in both forms, and
// querying only metrics the code registers.

const ROOT = path.join(__dirname, '..', '..');
const RULES = path.join(ROOT, 'deploy', 'prometheus', 'sundial-rules.yaml');
const RULE_TESTS = path.join(ROOT, 'deploy', 'prometheus', 'sundial-rules.test.yaml');
const PROMETHEUS_RULE = path.join(ROOT, 'deploy', 'kubernetes', 'base', 'prometheus-rule.yaml');

interface Rule {
  readonly record?: string;
  readonly alert?: string;
  readonly expr: string;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
}

interface RuleGroup {
  readonly name: string;
  readonly rules: Rule[];
}

const groups = (parse(readFileSync(RULES, 'utf8')) as { groups: RuleGroup[] }).groups;
const rules = groups.flatMap((group) => group.rules);
const alerts = rules.filter((rule) => rule.alert !== undefined);

function promtool(...args: string[]): { status: number | null; output: string } {
  const result = spawnSync(requirePrometheusBinary('promtool'), args, { cwd: ROOT, encoding: 'utf8' });
  if (result.error) throw result.error;
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('deploy/prometheus/sundial-rules.yaml', () => {
  it('passes promtool check rules', () => {
    const { status, output } = promtool('check', 'rules', RULES);
    expect(output).toContain('SUCCESS');
    expect(status).toBe(0);
  });

  it('passes its promtool unit tests', () => {
    const { status, output } = promtool('test', 'rules', RULE_TESTS);
    expect(output).toContain('SUCCESS');
    expect(status).toBe(0);
  });

  it('has the alerts the deployment promises, each with a severity, a summary and a runbook section in docs/alerts.md', () => {
    expect(alerts.map((alert) => alert.alert).sort()).toEqual(
      [
        'SundialNoLeader',
        'SundialMultipleLeaders',
        'SundialFireLatenessHigh',
        'SundialFiresMissed',
        'SundialFiresSkipped',
        'SundialRunFailureRatioHigh',
        'SundialBacklogGrowing',
        'SundialNoWorkerForQueue',
        'SundialClockSkew',
      ].sort(),
    );
    const runbooks = readFileSync(path.join(ROOT, 'docs', 'alerts.md'), 'utf8');
    for (const alert of alerts) {
      const name = alert.alert as string;
      expect({ name, severity: alert.labels?.severity }).toEqual({ name, severity: expect.stringMatching(/^(critical|warning|info)$/) });
      expect({ name, summary: alert.annotations?.summary }).toEqual({ name, summary: expect.any(String) });
      expect({ name, runbook: alert.annotations?.runbook_url }).toEqual({ name, runbook: `docs/alerts.md#${name.toLowerCase()}` });
      expect({ name, section: runbooks.includes(`\n## ${name}\n`) }).toEqual({ name, section: true });
    }
  });

  it('every alert has a promtool unit test that fires it and one that does not', () => {
    const tests = (parse(readFileSync(RULE_TESTS, 'utf8')) as { tests: { alert_rule_test?: { alertname: string; exp_alerts: unknown[] }[] }[] }).tests;
    const cases = tests.flatMap((test) => test.alert_rule_test ?? []);
    for (const alert of alerts) {
      const mine = cases.filter((each) => each.alertname === alert.alert);
      expect({ alert: alert.alert, fires: mine.some((each) => each.exp_alerts.length > 0), quiet: mine.some((each) => each.exp_alerts.length === 0) }).toEqual({
        alert: alert.alert,
        fires: true,
        quiet: true,
      });
    }
  });

  it('queries only metrics the code registers, or its own recording rules', async () => {
    const defined = await registeredMetrics();
    for (const rule of rules) if (rule.record !== undefined) defined.set(rule.record, 'recording rule');
    const used = rules.flatMap((rule) => metricNamesIn(rule.expr));
    expect(used).toEqual(expect.arrayContaining(['sundial_leader', 'sundial_queue_workers', 'sundial_fire_lateness_seconds_bucket', 'namespace_task:sundial_run_failure_ratio:rate15m']));
    expect(undefinedMetricNames(used, defined)).toEqual([]);
  });
});

describe('deploy/kubernetes/base/prometheus-rule.yaml', () => {
  it('is a PrometheusRule with exactly the groups of the plain rules file', () => {
    const resource = parse(readFileSync(PROMETHEUS_RULE, 'utf8')) as { apiVersion: string; kind: string; metadata: { name: string }; spec: { groups: RuleGroup[] } };
    expect(resource).toMatchObject({ apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule', metadata: { name: 'sundial' } });
    // Out of sync: run `node deploy/prometheus/render-prometheus-rule.js`.
    expect(resource.spec.groups).toEqual(groups);
  });
});
