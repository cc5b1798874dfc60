import { parseScheduleFile, validateScheduleEntries } from '@sundial/coordinator';
import { loadTaskModule } from '@sundial/worker';
import { WORKER_DEFAULTS } from '@sundial/worker';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, posix, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { coordinatorOptionsOf, parseSundialCommand, workerCommandOf } from '../helpers/cli-commands';
import { DEPLOY_DIR } from '../helpers/kubernetes-manifests';
import { requirePrometheusBinary } from '../support/prometheus';

interface ComposeService {
  image?: string;
  command?: string[];
  volumes?: string[];
  environment?: Record<string, string>;
  stop_grace_period?: string;
  read_only?: boolean;
  user?: string;
}

const compose = parseYaml(readFileSync(join(DEPLOY_DIR, 'compose.yaml'), 'utf8'), { merge: true }) as { services: Record<string, ComposeService> };
const services = compose.services;
const prometheusConfigPath = join(DEPLOY_DIR, 'compose', 'prometheus.yml');
const prometheusConfig = parseYaml(readFileSync(prometheusConfigPath, 'utf8')) as { rule_files: string[]; scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[] };

const sundialServices = Object.entries(services).filter(([, service]) => service.image === 'sundial:dev');
const named = (prefix: string) => sundialServices.filter(([name]) => name.startsWith(prefix));

/** A bind mount's host path, resolved against deploy/ (where compose.yaml is), with its container path. */
function bindMounts(service: ComposeService): { host: string; container: string }[] {
  return (service.volumes ?? []).flatMap((volume) => {
    const [host, container] = volume.split(':');
    return host !== undefined && container !== undefined && host.startsWith('.') ? [{ host: resolve(DEPLOY_DIR, host), container }] : [];
  });
}

function durationSeconds(text: string | undefined): number {
  const match = /^(\d+)s$/.exec(text ?? '');
  if (match === null) throw new Error(`expected a duration in seconds such as "35s", got ${text}`);
  return Number(match[1]);
}

describe('compose stack (deploy/compose.yaml)', () => {
  it('runs Redis, two coordinators, two workers, Prometheus and Grafana', () => {
    expect(Object.keys(services)).toEqual(expect.arrayContaining(['redis', 'prometheus', 'grafana']));
    expect(named('coordinator')).toHaveLength(2);
    expect(named('worker')).toHaveLength(2);
  });

  it('configures Redis with the append-only file and noeviction', () => {
    const command = (services.redis?.command ?? []).join(' ');
    expect(command).toContain('--appendonly yes');
    expect(command).toContain('--maxmemory-policy noeviction');
  });

  it('starts every Sundial service with flags the real programs accept, as the image user on a read-only root', async () => {
    for (const [name, service] of sundialServices) {
      const [program, ...args] = service.command ?? [];
      expect({ name, user: service.user, readOnly: service.read_only }).toEqual({ name, user: '10001:10001', readOnly: true });
      if (program === 'sundial') await expect(parseSundialCommand(args)).resolves.toMatchObject({ path: expect.any(Array) });
      else if (program === 'sundial-worker') await expect(workerCommandOf(args)).resolves.toMatchObject({ flags: expect.any(Object) });
      else throw new Error(`${name}: runs ${program}, neither sundial nor sundial-worker`);
    }
  });

  it('mounts only files that exist, and the workers load a real task module', async () => {
    const missing = Object.entries(services).flatMap(([name, service]) => bindMounts(service).filter((mount) => !existsSync(mount.host)).map((mount) => `${name}: ${mount.host}`));
    expect(missing).toEqual([]);
    for (const [name, service] of named('worker')) {
      const { flags } = await workerCommandOf((service.command ?? []).slice(1));
      const mount = bindMounts(service).find((candidate) => candidate.container === flags.tasks);
      expect({ name, tasks: flags.tasks, mounted: mount !== undefined }).toEqual({ name, tasks: flags.tasks, mounted: true });
      const tasks = await loadTaskModule(mount?.host ?? '');
      expect(tasks.length).toBeGreaterThan(0);
    }
  });

  it('gives each worker longer to stop than its drain grace', async () => {
    for (const [, service] of named('worker')) {
      const { tuning } = await workerCommandOf((service.command ?? []).slice(1));
      expect(durationSeconds(service.stop_grace_period) * 1_000).toBeGreaterThan(tuning.shutdownGraceMs ?? WORKER_DEFAULTS.shutdownGraceMs);
    }
  });

  it('gives the workers the same NODE_OPTIONS as the Kubernetes worker deployment', () => {
    const manifest = readFileSync(join(DEPLOY_DIR, 'kubernetes', 'base', 'worker-deployment.yaml'), 'utf8');
    const kubernetesValue = /name: NODE_OPTIONS\s+value: "([^"]+)"/.exec(manifest)?.[1];
    expect(kubernetesValue).toMatch(/--max-semi-space-size=/);
    for (const [, service] of named('worker')) expect(service.environment?.NODE_OPTIONS).toBe(kubernetesValue);
    for (const [, service] of named('coordinator')) expect(service.environment?.NODE_OPTIONS).toBeUndefined();
  });

  it('applies demo schedules that are valid and name tasks the workers run', async () => {
    const apply = services.schedules;
    const parsed = await parseSundialCommand((apply?.command ?? []).slice(1));
    expect(parsed.path).toEqual(['apply']);
    const file = bindMounts(apply ?? {}).find((mount) => mount.container === parsed.flags.file);
    expect(file).toBeDefined();
    const schedules = validateScheduleEntries(parseScheduleFile(readFileSync(file?.host ?? '', 'utf8'), 'schedules.yaml'));
    const [worker] = named('worker');
    const { flags } = await workerCommandOf((worker?.[1].command ?? []).slice(1));
    const taskFile = bindMounts(worker?.[1] ?? {}).find((mount) => mount.container === flags.tasks)?.host ?? '';
    const taskNames = new Set((await loadTaskModule(taskFile)).map((task) => task.name));
    expect(schedules.map((schedule) => schedule.spec.task).filter((task) => !taskNames.has(task))).toEqual([]);
  });

  it('has Prometheus scrape every coordinator and worker on the port its command serves', async () => {
    const expected: string[] = [];
    for (const [name, service] of named('coordinator')) expected.push(`${name}:${(await coordinatorOptionsOf((service.command ?? []).slice(1))).port}`);
    for (const [name, service] of named('worker')) expected.push(`${name}:${(await workerCommandOf((service.command ?? []).slice(1))).tuning.port}`);
    const targets = prometheusConfig.scrape_configs.flatMap((job) => job.static_configs.flatMap((config) => config.targets));
    expect(targets.sort()).toEqual(expected.sort());
  });

  it('loads the alert rules in Prometheus, at the same relative path in the repository and in the container', () => {
    const prometheus = services.prometheus ?? {};
    const config = bindMounts(prometheus).find((mount) => mount.host === prometheusConfigPath);
    expect(config).toBeDefined();
    for (const rules of prometheusConfig.rule_files) {
      const host = resolve(DEPLOY_DIR, 'compose', rules);
      expect(host).toBe(join(DEPLOY_DIR, 'prometheus', 'sundial-rules.yaml'));
      const inContainer = posix.resolve(posix.dirname(config?.container ?? '/'), rules);
      expect(bindMounts(prometheus).find((mount) => mount.container === inContainer)?.host).toBe(host);
    }
    const checked = spawnSync(requirePrometheusBinary('promtool'), ['check', 'config', prometheusConfigPath], { encoding: 'utf8' });
    expect({ status: checked.status, output: `${checked.stdout}${checked.stderr}` }).toMatchObject({ status: 0 });
  });

  it('provisions Grafana with the dashboard where its dashboard provider looks', () => {
    const grafana = services.grafana ?? {};
    const mounts = bindMounts(grafana);
    expect(mounts.find((mount) => mount.container === '/etc/grafana/provisioning')?.host).toBe(join(DEPLOY_DIR, 'grafana', 'provisioning'));
    const dashboard = mounts.find((mount) => mount.host === join(DEPLOY_DIR, 'grafana', 'sundial.json'));
    expect(dashboard).toBeDefined();
    const provider = parseYaml(readFileSync(join(DEPLOY_DIR, 'grafana', 'provisioning', 'dashboards', 'sundial.yaml'), 'utf8')) as { providers: { options?: { path?: string } }[] };
    const paths = provider.providers.map((entry) => entry.options?.path);
    expect(paths.some((path) => path !== undefined && (dashboard?.container === path || posix.dirname(dashboard?.container ?? '') === path))).toBe(true);
  });
});
