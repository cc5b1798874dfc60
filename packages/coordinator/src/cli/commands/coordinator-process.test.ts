import { connectRedis, type Run } from '@sundial/shared';
import type { Redis } from 'ioredis';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { SUNDIAL_BIN, runSundialProcess } from '../../../../../test/helpers/cli';
import { deleteNamespace, testRedisUrl, uniqueNamespace } from '../../../../../test/support/namespace';
import { killAllSpawned, spawnNode } from '../../../../../test/support/processes';
import { closeClient } from '../../../../../test/support/redis-client';

jest.setTimeout(60_000);

const ENQUEUED_OR_LATER = new Set(['enqueued', 'running', 'succeeded', 'failed']);

describe('sundial coordinator (process)', () => {
  let admin: Redis;
  let namespace: string;

  beforeAll(async () => {
    if (!existsSync(join(__dirname, '..', '..', '..', 'dist', 'cli', 'main.js'))) {
      throw new Error('packages/coordinator is not built; run `npx tsc --build` at the repository root first');
    }
    admin = await connectRedis(testRedisUrl(), { connectionName: 'sundial:test-admin' });
    namespace = uniqueNamespace('cli-coordinator');
  });

  afterAll(async () => {
    await killAllSpawned();
    await deleteNamespace(admin, namespace);
    await closeClient(admin);
  });

  it('fires a schedule added with the CLI, and exits 0 on SIGTERM', async () => {
    const env = { REDIS_URL: testRedisUrl(), SUNDIAL_NAMESPACE: namespace };
    const coordinator = spawnNode(SUNDIAL_BIN, ['coordinator', '--port', '0'], { env: { ...env, SUNDIAL_LOG_LEVEL: 'info' }, name: 'sundial coordinator' });
    await coordinator.waitForOutput(/"msg":"coordinator started"/, 20_000);

    // No worker runs the jobs, so with the default overlap policy every fire after the first would be skipped.
    const added = await runSundialProcess(env, 'schedule', 'add', 'tick', '--task', 'tick', '--every', '1s', '--overlap', 'allow');
    expect(added.exitCode).toBe(0);

    let runs: Run[] = [];
    const deadline = Date.now() + 30_000;
    while (runs.filter((run) => ENQUEUED_OR_LATER.has(run.status)).length < 2) {
      if (Date.now() > deadline) throw new Error(`fewer than 2 runs enqueued; runs: ${JSON.stringify(runs)}\ncoordinator output:\n${coordinator.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const listed = await runSundialProcess(env, 'runs', 'list', '--schedule', 'tick', '-o', 'json');
      expect(listed).toMatchObject({ exitCode: 0, stderr: '' });
      runs = JSON.parse(listed.stdout) as Run[];
    }
    for (const run of runs) {
      expect(run).toMatchObject({ scheduleId: 'tick', runId: expect.stringMatching(/^tick@\d+$/), attempts: expect.any(Number) });
      expect(new Date(run.fireTime).toISOString()).toBe(run.fireTime);
    }

    await expect(coordinator.stop(10_000)).resolves.toEqual({ code: 0, signal: null });
    expect(coordinator.output()).toContain('"msg":"coordinator stopped"');
  });
});
