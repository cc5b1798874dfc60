import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { BenchPreconditionError } from './bench-error';
import { REPO_ROOT, SUNDIAL_BIN, SUNDIAL_WORKER_BIN } from './processes';

/** Build outputs the scenarios load, relative to the repository root. */
const BUILD_OUTPUTS = [
  'packages/shared/dist/index.js',
  'packages/coordinator/dist/index.js',
  'packages/coordinator/dist/cli/main.js',
  'packages/worker/dist/index.js',
  'packages/testing/dist/index.js',
];

/**
 * Checks what every scenario needs before any starts: the build, the `sundial` and
 * `sundial-worker` bins, and (without REDIS_URL) `redis-server` on the PATH.
 *
 * @throws BenchPreconditionError naming what is missing and how to get it
 */
export function checkPreconditions(env: NodeJS.ProcessEnv = process.env): void {
  const missing = BUILD_OUTPUTS.filter((path) => !existsSync(resolve(REPO_ROOT, path)));
  if (missing.length > 0) throw new BenchPreconditionError(`the build is missing (${missing.join(', ')}): run \`pnpm install && pnpm build\` at the repository root`);
  for (const bin of [SUNDIAL_BIN, SUNDIAL_WORKER_BIN]) {
    if (!existsSync(bin)) throw new BenchPreconditionError(`${bin} is missing: run \`pnpm install\` at the repository root`);
  }
  if (!env.REDIS_URL?.trim()) {
    const probe = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
    if (probe.error) throw new BenchPreconditionError('redis-server is not on the PATH: install Redis (Debian: apt-get install redis-server) or set REDIS_URL to a server to use');
  }
}
