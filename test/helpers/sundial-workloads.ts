import { SHUTDOWN_ABORT_WAIT_MS, WORKER_DEFAULTS } from '@sundial/worker';
import { DEFAULT_COORDINATOR_PORT } from '../../packages/coordinator/src/cli/coordinator-flags';
import { DEFAULT_WORKER_PORT } from '../../packages/worker/src/cli/worker-flags';
import { STOP_STEP_TIMEOUT_MS } from '../../packages/worker/src/start-worker';
import { coordinatorOptionsOf, workerCommandOf } from './cli-commands';
import type { KubernetesObject } from './kubernetes-manifests';

/** The parts of a container these checks read. */
export interface Container {
  name: string;
  args?: string[];
  command?: string[];
  env?: { name: string; value?: string }[];
  ports?: { name?: string; containerPort: number }[];
  livenessProbe?: { httpGet?: { path?: string; port?: string | number } };
  readinessProbe?: { httpGet?: { path?: string; port?: string | number } };
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: Record<string, unknown>;
  volumeMounts?: { name: string; mountPath: string }[];
}

/** The parts of a pod spec these checks read. */
export interface PodSpec {
  containers: Container[];
  securityContext?: Record<string, unknown>;
  volumes?: { name: string; emptyDir?: unknown }[];
  terminationGracePeriodSeconds?: number;
  topologySpreadConstraints?: unknown[];
}

/** A Deployment, as far as these checks read it. */
export interface Deployment extends KubernetesObject {
  spec: { replicas?: number; selector: { matchLabels: Record<string, string> }; template: { metadata: { labels: Record<string, string> }; spec: PodSpec } };
}

/** The Deployment of a component (`coordinator` or `worker`) among `objects`. */
export function deploymentOf(objects: readonly KubernetesObject[], component: string): Deployment {
  const found = objects.filter((object) => object.kind === 'Deployment' && object.metadata.labels?.['app.kubernetes.io/component'] === component);
  if (found.length !== 1) throw new Error(`expected one ${component} Deployment, found ${found.length}`);
  return found[0] as Deployment;
}

/** Whether every label of `selector` is among `labels`. */
export function selects(selector: Record<string, string>, labels: Record<string, string> | undefined): boolean {
  return Object.entries(selector).every(([key, value]) => labels?.[key] === value);
}

/** The problems of a pod spec against the restricted Pod Security profile Sundial's manifests keep, one per line. */
export function restrictedPodProblems(name: string, pod: PodSpec): string[] {
  const problems: string[] = [];
  const podContext = pod.securityContext ?? {};
  if (podContext.runAsNonRoot !== true) problems.push(`${name}: pod securityContext.runAsNonRoot is not true`);
  if (typeof podContext.runAsUser === 'number' && podContext.runAsUser === 0) problems.push(`${name}: runs as UID 0`);
  const podSeccomp = (podContext.seccompProfile as { type?: string } | undefined)?.type;
  for (const container of pod.containers) {
    const at = `${name}/${container.name}`;
    const context = container.securityContext ?? {};
    if (context.allowPrivilegeEscalation !== false) problems.push(`${at}: allowPrivilegeEscalation is not false`);
    if (context.readOnlyRootFilesystem !== true) problems.push(`${at}: readOnlyRootFilesystem is not true`);
    if (context.privileged === true) problems.push(`${at}: privileged`);
    const drop = (context.capabilities as { drop?: string[]; add?: string[] } | undefined)?.drop ?? [];
    if (!drop.includes('ALL')) problems.push(`${at}: capabilities.drop lacks ALL`);
    if (((context.capabilities as { add?: string[] } | undefined)?.add ?? []).length > 0) problems.push(`${at}: adds capabilities`);
    const seccomp = (context.seccompProfile as { type?: string } | undefined)?.type ?? podSeccomp;
    if (seccomp !== 'RuntimeDefault') problems.push(`${at}: seccompProfile is not RuntimeDefault`);
    const tmp = container.volumeMounts?.find((mount) => mount.mountPath === '/tmp');
    const volume = pod.volumes?.find((candidate) => candidate.name === tmp?.name);
    if (volume?.emptyDir === undefined) problems.push(`${at}: /tmp is not an emptyDir mount`);
    if (container.resources?.requests?.cpu === undefined || container.resources.requests.memory === undefined) problems.push(`${at}: no cpu and memory requests`);
    if (container.resources?.limits?.memory === undefined) problems.push(`${at}: no memory limit`);
  }
  return problems;
}

function probeProblems(name: string, container: Container, port: number): string[] {
  const problems: string[] = [];
  const metrics = container.ports?.find((candidate) => candidate.name === 'metrics');
  if (metrics?.containerPort !== port) problems.push(`${name}: container port "metrics" is ${metrics?.containerPort}, the process serves on ${port}`);
  const probes = { livenessProbe: '/healthz', readinessProbe: '/readyz' } as const;
  for (const [probe, path] of Object.entries(probes) as [keyof typeof probes, string][]) {
    const httpGet = container[probe]?.httpGet;
    if (httpGet?.path !== path) problems.push(`${name}: ${probe} path is ${httpGet?.path}, expected ${path}`);
    if (httpGet?.port !== 'metrics' && httpGet?.port !== port) problems.push(`${name}: ${probe} port is ${httpGet?.port}, expected metrics (${port})`);
  }
  return problems;
}

/**
 * What matters in Sundial's workloads, checked against the code: the coordinator and worker
 * commands parse with the real programs, probes and ports match the ports they serve on, the
 * worker's grace period covers its drain, and both pods keep the restricted profile.
 * Returns the problems, one per line (none: an empty list).
 */
export async function workloadProblems(objects: readonly KubernetesObject[]): Promise<string[]> {
  const problems: string[] = [];
  const coordinator = deploymentOf(objects, 'coordinator');
  const worker = deploymentOf(objects, 'worker');
  for (const deployment of [coordinator, worker]) {
    problems.push(...restrictedPodProblems(deployment.metadata.name, deployment.spec.template.spec));
    if (!selects(deployment.spec.selector.matchLabels, deployment.spec.template.metadata.labels)) problems.push(`${deployment.metadata.name}: selector does not match its pods`);
  }

  const [coordinatorContainer] = coordinator.spec.template.spec.containers;
  if (coordinatorContainer === undefined) return [...problems, 'coordinator: no container'];
  const coordinatorArgs = [...(coordinatorContainer.command ?? []), ...(coordinatorContainer.args ?? [])];
  if (coordinatorArgs[0] !== 'sundial') problems.push(`coordinator: runs ${coordinatorArgs[0]}, not sundial`);
  const coordinatorOptions = await coordinatorOptionsOf(coordinatorArgs.slice(1));
  expectPort(problems, 'coordinator --port', coordinatorOptions.port, DEFAULT_COORDINATOR_PORT);
  problems.push(...probeProblems('coordinator', coordinatorContainer, coordinatorOptions.port ?? DEFAULT_COORDINATOR_PORT));
  if ((coordinator.spec.template.spec.topologySpreadConstraints ?? []).length === 0) problems.push('coordinator: no topologySpreadConstraints');

  const [workerContainer] = worker.spec.template.spec.containers;
  if (workerContainer === undefined) return [...problems, 'worker: no container'];
  const workerArgs = [...(workerContainer.command ?? []), ...(workerContainer.args ?? [])];
  if (workerArgs[0] !== 'sundial-worker') problems.push(`worker: runs ${workerArgs[0]}, not sundial-worker`);
  const { tuning } = await workerCommandOf(workerArgs.slice(1));
  expectPort(problems, 'worker --port', tuning.port, DEFAULT_WORKER_PORT);
  problems.push(...probeProblems('worker', workerContainer, tuning.port ?? DEFAULT_WORKER_PORT));
  const graceMs = tuning.shutdownGraceMs ?? WORKER_DEFAULTS.shutdownGraceMs;
  // After the grace the worker aborts what is left, waits for it, then closes its connections.
  const stopMs = graceMs + SHUTDOWN_ABORT_WAIT_MS + STOP_STEP_TIMEOUT_MS;
  const terminationMs = (worker.spec.template.spec.terminationGracePeriodSeconds ?? 30) * 1_000;
  if (terminationMs <= stopMs) problems.push(`worker: terminationGracePeriodSeconds (${terminationMs} ms) does not cover --shutdown-grace and the stop after it (${stopMs} ms)`);
  return problems;
}

function expectPort(problems: string[], what: string, actual: number | undefined, expected: number): void {
  if (actual !== expected) problems.push(`${what} is ${actual}, expected the default ${expected}`);
}
