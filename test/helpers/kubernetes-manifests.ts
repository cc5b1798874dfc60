import * as keda from '@kubernetes-models/keda/keda.sh/v1alpha1';
import * as monitoring from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as apps from 'kubernetes-models/apps/v1';
import * as autoscaling from 'kubernetes-models/autoscaling/v2';
import * as networking from 'kubernetes-models/networking.k8s.io/v1';
import * as policy from 'kubernetes-models/policy/v1';
import * as core from 'kubernetes-models/v1';
import { parseAllDocuments } from 'yaml';

/** The repository's deploy/ directory. */
export const DEPLOY_DIR = join(__dirname, '..', '..', 'deploy');

/** deploy/kubernetes. */
export const KUBERNETES_DIR = join(DEPLOY_DIR, 'kubernetes');

/** A Kubernetes object as YAML gives it. */
export interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec?: Record<string, unknown>;
  [field: string]: unknown;
}

/** A model class of the kubernetes-models packages: its constructor checks nothing, `validate()` does. */
type ModelClass = new (data: never) => { validate(): void };

/** The model classes of the API groups Sundial's manifests use, by apiVersion. */
const MODELS: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  v1: core,
  'apps/v1': apps,
  'policy/v1': policy,
  'networking.k8s.io/v1': networking,
  'autoscaling/v2': autoscaling,
  'monitoring.coreos.com/v1': monitoring,
  'keda.sh/v1alpha1': keda,
};

/** Every file under `dir` whose name ends with `.yaml` or `.yml`, as paths, sorted. */
export function yamlFilesUnder(dir: string): string[] {
  return readdirSync(dir)
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return yamlFilesUnder(path);
      return /\.ya?ml$/.test(name) ? [path] : [];
    })
    .sort();
}

/**
 * The documents of a (multi-document) YAML text, as plain values; empty documents are left out.
 *
 * @throws Error naming `source` and the first parse error
 */
export function parseYamlDocuments(text: string, source: string): unknown[] {
  return parseAllDocuments(text).flatMap((document) => {
    if (document.errors.length > 0) throw new Error(`${source}: ${document.errors[0]?.message}`);
    const value: unknown = document.toJS();
    return value === null || value === undefined ? [] : [value];
  });
}

/** The documents of a YAML file (see {@link parseYamlDocuments}). */
export function readYamlDocuments(path: string): unknown[] {
  return parseYamlDocuments(readFileSync(path, 'utf8'), relative(process.cwd(), path));
}

/**
 * Validates an object against the Kubernetes schema of its apiVersion and kind, CRDs included
 * (Prometheus Operator, KEDA), with the kubernetes-models classes.
 *
 * @throws Error naming the object and the first schema violation, or an unknown apiVersion/kind
 */
export function validateKubernetesObject(object: KubernetesObject): void {
  const label = `${object.apiVersion} ${object.kind} ${object.metadata?.name}`;
  const Model = MODELS[object.apiVersion]?.[object.kind] as ModelClass | undefined;
  if (Model === undefined) throw new Error(`${label}: no schema for this apiVersion and kind`);
  try {
    new Model(object as never).validate();
  } catch (error) {
    throw new Error(`${label}: ${(error as Error).message}`, { cause: error });
  }
}

/** The path of kubectl when it is on PATH and answers, else `undefined`. */
export function findKubectl(): string | undefined {
  const found = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8', timeout: 10_000 });
  return found.status === 0 ? 'kubectl' : undefined;
}

/** The objects `kubectl kustomize dir` renders. */
export function kustomize(kubectl: string, dir: string): KubernetesObject[] {
  const output = execFileSync(kubectl, ['kustomize', dir], { encoding: 'utf8', timeout: 30_000, stdio: ['ignore', 'pipe', 'pipe'] });
  return parseYamlDocuments(output, `kubectl kustomize ${relative(process.cwd(), dir)}`) as KubernetesObject[];
}
