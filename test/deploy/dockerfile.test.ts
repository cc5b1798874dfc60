import { loadTaskModule } from '@sundial/worker';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, posix } from 'node:path';
import { DEFAULT_COORDINATOR_PORT } from '../../packages/coordinator/src/cli/coordinator-flags';
import { DEFAULT_WORKER_PORT } from '../../packages/worker/src/cli/worker-flags';
import { parseSundialCommand, workerCommandOf } from '../helpers/cli-commands';
import { execForm, parseDockerfile, type DockerInstruction } from '../helpers/dockerfile';
import { DEPLOY_DIR, readYamlDocuments } from '../helpers/kubernetes-manifests';
import { deploymentOf } from '../helpers/sundial-workloads';
import type { KubernetesObject } from '../helpers/kubernetes-manifests';

const ROOT = join(__dirname, '..', '..');
const EXAMPLE_DIR = join(ROOT, 'examples', 'worker-image');
const image = parseDockerfile(readFileSync(join(DEPLOY_DIR, 'Dockerfile'), 'utf8'));
const finalStage = Math.max(...image.map((instruction) => instruction.stage));
const inFinal = (keyword: string) => image.filter((instruction) => instruction.stage === finalStage && instruction.keyword === keyword);
const last = (instructions: DockerInstruction[]) => instructions[instructions.length - 1];

describe('image (deploy/Dockerfile)', () => {
  it('builds in one stage and runs from another that copies only the build output', () => {
    expect(finalStage).toBeGreaterThanOrEqual(1);
    const copies = inFinal('COPY');
    expect(copies.length).toBeGreaterThan(0);
    expect(copies.filter((copy) => !copy.args.includes('--from='))).toEqual([]);
    expect(image.some((instruction) => instruction.stage < finalStage && /\bdeploy\b.*--prod\b/.test(instruction.args))).toBe(true);
  });

  it('copies the manifest of every workspace package before installing, as the frozen lockfile needs', () => {
    const packages = readdirSync(join(ROOT, 'packages')).filter((name) => existsSync(join(ROOT, 'packages', name, 'package.json')));
    const copied = image.filter((instruction) => instruction.keyword === 'COPY').map((instruction) => instruction.args);
    for (const name of packages) expect(copied).toContain(`packages/${name}/package.json packages/${name}/`);
  });

  it('runs as a numeric non-root user', () => {
    const user = last(inFinal('USER'))?.args ?? '';
    expect(user).toMatch(/^\d+(:\d+)?$/);
    expect(Number(user.split(':')[0])).toBeGreaterThan(0);
  });

  it("exposes the coordinator's and the worker's default ports", () => {
    const ports = inFinal('EXPOSE').flatMap((instruction) => instruction.args.split(' ')).map(Number).sort((a, b) => a - b);
    expect(ports).toEqual([DEFAULT_COORDINATOR_PORT, DEFAULT_WORKER_PORT].sort((a, b) => a - b));
  });

  it('runs tini as PID 1 and `sundial coordinator` by default, a command the real program accepts', async () => {
    expect(execForm(last(inFinal('ENTRYPOINT')))).toEqual(['/usr/bin/tini', '--']);
    const [program, ...args] = execForm(last(inFinal('CMD')));
    expect(program).toBe('sundial');
    await expect(parseSundialCommand(args)).resolves.toMatchObject({ path: ['coordinator'] });
  });

  it('links both bins onto the PATH from their packages', () => {
    const links = inFinal('RUN').map((instruction) => instruction.args).join(' ');
    const binOf = (name: string) => JSON.parse(readFileSync(join(ROOT, 'packages', name, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    for (const [pkg, bin] of [['coordinator', 'sundial'], ['worker', 'sundial-worker']] as const) {
      const target = posix.join('/app', pkg, binOf(pkg).bin[bin] ?? '');
      expect(links).toContain(`ln -s ${target} /usr/local/bin/${bin}`);
    }
  });

  it('is built from a context without node_modules, build output or git history', () => {
    const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n').map((line) => line.trim());
    expect(ignored).toEqual(expect.arrayContaining(['**/node_modules', '**/dist', '.git']));
  });
});

describe('worker image example (examples/worker-image)', () => {
  const example = parseDockerfile(readFileSync(join(EXAMPLE_DIR, 'Dockerfile'), 'utf8'));
  const exampleFinal = Math.max(...example.map((instruction) => instruction.stage));

  it("builds on the Sundial image and runs the worker on the module it copies, where the Kubernetes worker looks for it", async () => {
    expect(example.filter((instruction) => instruction.keyword === 'FROM' && instruction.stage === exampleFinal).map((instruction) => instruction.args)).toEqual(['${SUNDIAL_IMAGE}']);
    const workdir = example.filter((instruction) => instruction.keyword === 'WORKDIR' && instruction.stage === exampleFinal).pop()?.args ?? '/';
    const [program, ...args] = execForm(example.filter((instruction) => instruction.keyword === 'CMD').pop());
    expect(program).toBe('sundial-worker');
    const { flags } = await workerCommandOf(args);
    expect(posix.dirname(flags.tasks)).toBe(workdir);
    expect(example.some((instruction) => instruction.keyword === 'COPY' && instruction.stage === exampleFinal && instruction.args.split(' ').includes(posix.basename(flags.tasks)))).toBe(true);

    const objects = readYamlDocuments(join(DEPLOY_DIR, 'kubernetes', 'base', 'worker-deployment.yaml')) as KubernetesObject[];
    const kubernetesArgs = deploymentOf(objects, 'worker').spec.template.spec.containers[0]?.args ?? [];
    const kubernetesFlags = (await workerCommandOf(kubernetesArgs.slice(1))).flags;
    expect(kubernetesFlags.tasks).toBe(flags.tasks);
  });

  it('has a task module the worker loads', async () => {
    const tasks = await loadTaskModule(join(EXAMPLE_DIR, 'tasks.js'));
    expect(tasks.map((task) => task.name).sort()).toEqual(['cleanup-sessions', 'send-report']);
  });

  it('leaves @sundial/worker to the base image', () => {
    const manifest = JSON.parse(readFileSync(join(EXAMPLE_DIR, 'package.json'), 'utf8')) as { dependencies?: Record<string, string>; peerDependencies?: Record<string, string> };
    expect(manifest.dependencies?.['@sundial/worker']).toBeUndefined();
    expect(manifest.peerDependencies?.['@sundial/worker']).toBeDefined();
  });
});
