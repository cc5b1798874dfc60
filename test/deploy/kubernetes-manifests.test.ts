import { CoordinatorMetrics } from '@sundial/shared';
import { WORKER_DEFAULTS } from '@sundial/worker';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { WorkerMetrics } from '../../packages/shared/src/observability/worker-metrics';
import { KUBERNETES_DIR, readYamlDocuments, validateKubernetesObject, yamlFilesUnder, type KubernetesObject } from '../helpers/kubernetes-manifests';
import { deploymentOf, selects, workloadProblems } from '../helpers/sundial-workloads';

/** A kustomization or component file, as far as these tests read it. */
interface Kustomization {
  kind: 'Kustomization' | 'Component';
  resources?: string[];
  components?: string[];
  patches?: { path?: string; patch?: string }[];
  secretGenerator?: { files?: string[] }[];
}

const kustomizationFiles = yamlFilesUnder(KUBERNETES_DIR).filter((path) => /\/kustomization\.ya?ml$/.test(path));
const kustomizations = kustomizationFiles.map((path) => ({ path, spec: parseYaml(readFileSync(path, 'utf8')) as Kustomization }));
const patchFiles = new Set(kustomizations.flatMap(({ path, spec }) => (spec.patches ?? []).flatMap((patch) => (patch.path === undefined ? [] : [join(dirname(path), patch.path)]))));
const manifestFiles = yamlFilesUnder(KUBERNETES_DIR).filter((path) => !kustomizationFiles.includes(path) && !patchFiles.has(path));

function baseObjects(): KubernetesObject[] {
  const base = kustomizations.find(({ path }) => relative(KUBERNETES_DIR, path) === join('base', 'kustomization.yaml'));
  if (base === undefined) throw new Error('deploy/kubernetes/base/kustomization.yaml is missing');
  return (base.spec.resources ?? []).flatMap((resource) => readYamlDocuments(join(KUBERNETES_DIR, 'base', resource)) as KubernetesObject[]);
}

/** The metric names the coordinator and the worker register. */
function registeredMetricNames(): Set<string> {
  const coordinator = new CoordinatorMetrics({
    leaseEpoch: () => undefined,
    clockSkewMs: () => 0,
    scheduleCounts: () => Promise.reject(new Error('not read')),
    queueDepths: () => Promise.reject(new Error('not read')),
    queueWorkers: () => Promise.reject(new Error('not read')),
  });
  const worker = new WorkerMetrics({ tasks: [], concurrency: 1 });
  return new Set([...coordinator.registry.getMetricsAsArray(), ...worker.registry.getMetricsAsArray()].map((metric) => (metric as unknown as { name: string }).name));
}

describe('Kubernetes manifests (deploy/kubernetes)', () => {
  it('has a base, the dev and production overlays, and the hpa and keda components', () => {
    const found = kustomizationFiles.map((path) => dirname(relative(KUBERNETES_DIR, path))).sort();
    expect(found).toEqual(expect.arrayContaining(['base', 'components/hpa', 'components/keda', 'overlays/dev', 'overlays/production']));
    for (const { path, spec } of kustomizations) {
      expect({ path: relative(KUBERNETES_DIR, path), kind: spec.kind }).toEqual({ path: relative(KUBERNETES_DIR, path), kind: path.includes('/components/') ? 'Component' : 'Kustomization' });
    }
  });

  it('refers only to files and directories that exist', () => {
    const missing = kustomizations.flatMap(({ path, spec }) => {
      const referenced = [
        ...(spec.resources ?? []),
        ...(spec.components ?? []),
        ...(spec.patches ?? []).flatMap((patch) => (patch.path === undefined ? [] : [patch.path])),
        ...(spec.secretGenerator ?? []).flatMap((generator) => (generator.files ?? []).map((file) => file.split('=').pop() ?? file)),
      ];
      return referenced.filter((reference) => !existsSync(join(dirname(path), reference))).map((reference) => `${relative(KUBERNETES_DIR, path)}: ${reference}`);
    });
    expect(missing).toEqual([]);
  });

  it('parses every YAML file, and every manifest validates against the Kubernetes schemas (CRDs included)', () => {
    expect(manifestFiles.length).toBeGreaterThan(10);
    for (const path of yamlFilesUnder(KUBERNETES_DIR)) expect(readYamlDocuments(path).length).toBeGreaterThan(0);
    const objects = manifestFiles.flatMap((path) => readYamlDocuments(path) as KubernetesObject[]);
    for (const object of objects) expect(() => validateKubernetesObject(object)).not.toThrow();
    const kinds = new Set(objects.map((object) => object.kind));
    for (const kind of ['Namespace', 'ConfigMap', 'Deployment', 'Service', 'PodDisruptionBudget', 'NetworkPolicy', 'ServiceMonitor', 'PrometheusRule', 'HorizontalPodAutoscaler', 'ScaledObject']) {
      expect({ kind, present: kinds.has(kind) }).toEqual({ kind, present: true });
    }
  });

  it('rejects a manifest that breaks its schema, so the check above means something', () => {
    const [coordinator] = baseObjects().filter((object) => object.kind === 'Deployment');
    const broken = JSON.parse(JSON.stringify(coordinator)) as KubernetesObject & { spec: { replicas: unknown } };
    broken.spec.replicas = 'two';
    expect(() => validateKubernetesObject(broken)).toThrow(/replicas/);
    expect(() => validateKubernetesObject({ ...broken, apiVersion: 'example.com/v1' })).toThrow(/no schema/);
  });

  it('runs the coordinator and worker with real flags, probes on the ports they serve, and the restricted profile', async () => {
    await expect(workloadProblems(baseObjects())).resolves.toEqual([]);
  });

  it('reports a pod that breaks the profile, a probe on the wrong path and a flag the program does not know', async () => {
    const objects = JSON.parse(JSON.stringify(baseObjects())) as KubernetesObject[];
    const coordinator = deploymentOf(objects, 'coordinator');
    const [container] = coordinator.spec.template.spec.containers;
    if (container === undefined) throw new Error('no coordinator container');
    container.securityContext = { ...container.securityContext, readOnlyRootFilesystem: false };
    container.readinessProbe = { httpGet: { path: '/ready', port: 'metrics' } };
    await expect(workloadProblems(objects)).resolves.toEqual([
      'sundial-coordinator/coordinator: readOnlyRootFilesystem is not true',
      'coordinator: readinessProbe path is /ready, expected /readyz',
    ]);
    container.args = [...(container.args ?? []), '--no-such-flag'];
    await expect(workloadProblems(objects)).rejects.toThrow(/no-such-flag/);
  });

  it('gives the workers more time to stop than their drain grace', () => {
    const worker = deploymentOf(baseObjects(), 'worker');
    expect((worker.spec.template.spec.terminationGracePeriodSeconds ?? 30) * 1_000).toBeGreaterThan(WORKER_DEFAULTS.shutdownGraceMs);
  });

  it('gives the workers a larger young generation, with NODE_OPTIONS that Node accepts', () => {
    const container = deploymentOf(baseObjects(), 'worker').spec.template.spec.containers[0];
    const nodeOptions = container?.env?.find((variable) => variable.name === 'NODE_OPTIONS')?.value ?? '';
    expect(nodeOptions).toMatch(/--max-semi-space-size=\d+/);
    const probe = spawnSync(process.execPath, ['-e', 'process.exit(0)'], { env: { ...process.env, NODE_OPTIONS: nodeOptions }, encoding: 'utf8' });
    expect(probe.stderr).toBe('');
    expect(probe.status).toBe(0);
  });

  it('runs two coordinators, at most one unavailable at a time', () => {
    const objects = baseObjects();
    const coordinator = deploymentOf(objects, 'coordinator');
    expect(coordinator.spec.replicas).toBe(2);
    const budgets = objects.filter((object) => object.kind === 'PodDisruptionBudget') as (KubernetesObject & { spec: { maxUnavailable?: unknown; selector: { matchLabels: Record<string, string> } } })[];
    const coordinatorBudget = budgets.find((budget) => selects(budget.spec.selector.matchLabels, coordinator.spec.template.metadata.labels));
    expect(coordinatorBudget?.spec.maxUnavailable).toBe(1);
  });

  it('exposes a named metrics port on a Service per component, and the ServiceMonitor scrapes both', () => {
    const objects = baseObjects();
    const services = objects.filter((object) => object.kind === 'Service') as (KubernetesObject & { spec: { selector: Record<string, string>; ports: { name?: string; targetPort?: unknown }[] } })[];
    for (const component of ['coordinator', 'worker']) {
      const pods = deploymentOf(objects, component).spec.template.metadata.labels;
      const service = services.find((candidate) => selects(candidate.spec.selector, pods));
      expect(service?.spec.ports.find((port) => port.name === 'metrics')?.targetPort).toBe('metrics');
    }
    const monitors = objects.filter((object) => object.kind === 'ServiceMonitor') as (KubernetesObject & { spec: { selector: { matchLabels: Record<string, string> }; endpoints: { port?: string; path?: string }[] } })[];
    expect(monitors).toHaveLength(1);
    const [monitor] = monitors;
    expect(services.filter((service) => selects(monitor?.spec.selector.matchLabels ?? {}, service.metadata.labels)).map((service) => service.metadata.name).sort()).toEqual(services.map((service) => service.metadata.name).sort());
    expect(monitor?.spec.endpoints).toEqual([expect.objectContaining({ port: 'metrics', path: '/metrics' })]);
  });

  it('denies all traffic by default and allows metrics scraping from the monitoring namespace', () => {
    const policies = baseObjects().filter((object) => object.kind === 'NetworkPolicy') as (KubernetesObject & { spec: { podSelector: object; policyTypes: string[]; ingress?: { from?: { namespaceSelector?: { matchLabels?: Record<string, string> } }[]; ports?: { port?: unknown }[] }[]; egress?: { ports?: { port?: unknown }[] }[] } })[];
    expect(policies.find((policy) => Object.keys(policy.spec.podSelector).length === 0)?.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    const egressPorts = policies.flatMap((policy) => policy.spec.egress ?? []).flatMap((rule) => rule.ports ?? []).map((port) => port.port);
    expect(egressPorts).toEqual(expect.arrayContaining([53, 6379]));
    const scraping = policies.flatMap((policy) => policy.spec.ingress ?? []).filter((rule) => rule.from?.some((peer) => peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] === 'monitoring'));
    expect(scraping.flatMap((rule) => rule.ports ?? []).map((port) => port.port)).toContain('metrics');
  });

  it('scales workers with KEDA on a queue-depth metric the coordinator registers', () => {
    const [scaledObject] = readYamlDocuments(join(KUBERNETES_DIR, 'components', 'keda', 'worker-scaled-object.yaml')) as (KubernetesObject & { spec: { scaleTargetRef: { name: string }; triggers: { type: string; metadata: { query: string } }[] } })[];
    expect(scaledObject?.spec.scaleTargetRef.name).toBe(deploymentOf(baseObjects(), 'worker').metadata.name);
    const [trigger] = scaledObject?.spec.triggers ?? [];
    expect(trigger?.type).toBe('prometheus');
    expect(trigger?.metadata.query).toBe('sum(sundial_queue_jobs{queue="default",state=~"waiting|prioritized"})');
    const used = trigger?.metadata.query.match(/\bsundial_[a-z_]+/g) ?? [];
    const registered = registeredMetricNames();
    expect(used.filter((name) => !registered.has(name))).toEqual([]);
  });
});
