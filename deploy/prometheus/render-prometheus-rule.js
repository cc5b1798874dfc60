// Writes deploy/kubernetes/base/prometheus-rule.yaml: a Prometheus Operator PrometheusRule with the
// groups of deploy/prometheus/sundial-rules.yaml, the one file to edit. Run from anywhere:
//   node deploy/prometheus/render-prometheus-rule.js
// test/deploy/rules.test.ts fails when the two files disagree.
const { readFileSync, writeFileSync } = require('node:fs');
const path = require('node:path');
const YAML = require('yaml');

const rulesFile = path.join(__dirname, 'sundial-rules.yaml');
const target = path.join(__dirname, '..', 'kubernetes', 'base', 'prometheus-rule.yaml');

const { groups } = YAML.parse(readFileSync(rulesFile, 'utf8'));
const resource = {
  apiVersion: 'monitoring.coreos.com/v1',
  kind: 'PrometheusRule',
  metadata: { name: 'sundial', labels: { 'app.kubernetes.io/name': 'sundial' } },
  spec: { groups },
};
const header = [
  '# Sundial\'s recording and alerting rules for the Prometheus Operator.',
  '# Generated from deploy/prometheus/sundial-rules.yaml by deploy/prometheus/render-prometheus-rule.js:',
  '# edit that file and run the script. What each alert means and what to do: docs/alerts.md.',
  '',
].join('\n');
writeFileSync(target, header + YAML.stringify(resource, { lineWidth: 0 }));
console.log(`wrote ${path.relative(process.cwd(), target)}`);
