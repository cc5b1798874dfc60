import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { KUBERNETES_DIR, findKubectl, kustomize, validateKubernetesObject, type KubernetesObject } from '../helpers/kubernetes-manifests';
import { deploymentOf, workloadProblems } from '../helpers/sundial-workloads';

const DOC = join(__dirname, '..', '..', 'docs', 'deploy-kubernetes.md');
const kubectl = findKubectl();
const scratch = mkdtempSync(join(tmpdir(), 'sundial-kustomize-'));

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** An overlay in a scratch directory: the production overlay plus one component, as an operator adds it. */
function productionWith(component: string): string {
  const dir = mkdtempSync(join(scratch, `${component}-`));
  const at = (path: string) => relative(dir, join(KUBERNETES_DIR, path));
  writeFileSync(
    join(dir, 'kustomization.yaml'),
    ['apiVersion: kustomize.config.k8s.io/v1beta1', 'kind: Kustomization', `resources: [${at('overlays/production')}]`, `components: [${at(`components/${component}`)}]`, ''].join('\n'),
  );
  return dir;
}

const targets: Record<string, () => string> = {
  base: () => join(KUBERNETES_DIR, 'base'),
  'overlays/dev': () => join(KUBERNETES_DIR, 'overlays', 'dev'),
  'overlays/production': () => join(KUBERNETES_DIR, 'overlays', 'production'),
  'overlays/production + components/hpa': () => productionWith('hpa'),
  'overlays/production + components/keda': () => productionWith('keda'),
};

/**
 * Renders a target with kubectl. Without kubectl on the PATH the rendering is the one check that
 * cannot run: the guide must then name it as the optional check it is, and the test says why.
 */
function render(name: string): KubernetesObject[] | undefined {
  const dir = targets[name]?.();
  if (dir === undefined) throw new Error(`unknown target ${name}`);
  if (kubectl === undefined) {
    expect(readFileSync(DOC, 'utf8')).toContain('kubectl kustomize');
    process.stderr.write(`kubectl is not on the PATH: ${name} not rendered (docs/deploy-kubernetes.md describes the check)\n`);
    return undefined;
  }
  return kustomize(kubectl, dir);
}

describe('kubectl kustomize', () => {
  it.each(Object.keys(targets))('renders %s into objects that validate, in the sundial namespace, with sound workloads', async (name) => {
    const objects = render(name);
    if (objects === undefined) return;
    for (const object of objects) expect(() => validateKubernetesObject(object)).not.toThrow();
    const namespaced = objects.filter((object) => object.kind !== 'Namespace');
    expect(namespaced.filter((object) => object.metadata.namespace !== 'sundial').map((object) => `${object.kind}/${object.metadata.name}`)).toEqual([]);
    expect(objects.filter((object) => object.kind === 'Namespace').map((object) => object.metadata.labels?.['pod-security.kubernetes.io/enforce'])).toEqual(['restricted']);
    await expect(workloadProblems(objects)).resolves.toEqual([]);
  });

  it('dev: one coordinator, and a Redis with the append-only file and noeviction', () => {
    const objects = render('overlays/dev');
    if (objects === undefined) return;
    expect(deploymentOf(objects, 'coordinator').spec.replicas).toBe(1);
    const redis = objects.find((object) => object.kind === 'Deployment' && object.metadata.name === 'redis') as ReturnType<typeof deploymentOf> | undefined;
    const args = redis?.spec.template.spec.containers[0]?.args ?? [];
    expect(args.join(' ')).toContain('--appendonly yes');
    expect(args.join(' ')).toContain('--maxmemory-policy noeviction');
    const secret = objects.find((object) => object.kind === 'Secret') as (KubernetesObject & { data: Record<string, string> }) | undefined;
    expect(Object.keys(secret?.data ?? {}).sort()).toEqual(['REDIS_URL', 'tokens']);
  });

  it('production: at least two coordinators, never two on one node', () => {
    const objects = render('overlays/production');
    if (objects === undefined) return;
    const coordinator = deploymentOf(objects, 'coordinator');
    expect(coordinator.spec.replicas).toBeGreaterThanOrEqual(2);
    const affinity = (coordinator.spec.template.spec as { affinity?: { podAntiAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: { topologyKey: string }[] } } }).affinity;
    expect(affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.map((term) => term.topologyKey)).toEqual(['kubernetes.io/hostname']);
    expect(objects.filter((object) => object.kind === 'PodDisruptionBudget')).toHaveLength(2);
  });

  it.each([
    ['hpa', 'HorizontalPodAutoscaler'],
    ['keda', 'ScaledObject'],
  ])('components/%s: a %s owns the worker replica count', (component, kind) => {
    const objects = render(`overlays/production + components/${component}`);
    if (objects === undefined) return;
    const worker = deploymentOf(objects, 'worker');
    expect(worker.spec.replicas).toBeUndefined();
    const scaler = objects.find((object) => object.kind === kind) as (KubernetesObject & { spec: { scaleTargetRef: { kind?: string; name: string } } }) | undefined;
    expect(scaler?.spec.scaleTargetRef).toMatchObject({ kind: 'Deployment', name: worker.metadata.name });
  });
});
