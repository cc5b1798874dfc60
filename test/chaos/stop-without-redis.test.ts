import path from 'node:path';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { killAllSpawned, spawnNode, type SpawnedProcess } from '../support/processes';

// A coordinator or worker told to stop while its Redis is gone must still stop, and say why it
// could not hand over; otherwise a rolling restart during a Redis outage hangs until SIGKILL.

jest.setTimeout(90_000);

const ROOT = path.join(__dirname, '..', '..');
const SUNDIAL = path.join(ROOT, 'packages', 'coordinator', 'bin', 'sundial.js');
const WORKER = path.join(ROOT, 'packages', 'worker', 'bin', 'sundial-worker.js');
const TASKS = path.join(__dirname, '..', 'fixtures', 'worker', 'tasks.js');

let redis: RedisServer;

beforeEach(async () => {
  redis = await startRedisServer();
});

afterEach(async () => {
  await killAllSpawned();
  await redis.stop();
});

function start(name: string, script: string, args: string[]): SpawnedProcess {
  return spawnNode(script, args, { name, env: { REDIS_URL: redis.url, SUNDIAL_NAMESPACE: 'stop-test', SUNDIAL_LOG_LEVEL: 'info', SUNDIAL_LOG_FORMAT: 'json' } });
}

describe('stopping while Redis is unreachable', () => {
  it('a leading coordinator and a worker exit with status 0 on SIGTERM, saying they could not hand over', async () => {
    const coordinator = start('coordinator', SUNDIAL, ['coordinator', '--port', '0']);
    const worker = start('worker', WORKER, ['--tasks', TASKS, '--port', '0']);
    await coordinator.waitForOutput(/"msg":"elected leader"/);
    await worker.waitForOutput(/"msg":"worker started"/);

    await redis.kill('SIGKILL');
    coordinator.signal('SIGTERM');
    worker.signal('SIGTERM');

    const [coordinatorExit, workerExit] = await Promise.all([coordinator.exited, worker.exited]);
    expect(coordinatorExit).toMatchObject({ code: 0 });
    expect(coordinator.output()).toMatch(/Redis did not answer while stopping; leaving without handing over/);
    expect(coordinator.output()).toMatch(/"msg":"coordinator stopped"/);
    expect(workerExit).toMatchObject({ code: 0 });
    expect(worker.output()).toMatch(/Redis did not answer while stopping; closing without deregistering/);
    expect(worker.output()).toMatch(/"msg":"worker stopped"/);
  });
});
