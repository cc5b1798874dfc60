import { ValidationError } from '@sundial/shared';
import { thrownBy } from '../../../test/support/errors';
import { DuplicateTaskError, TaskDefinitionError } from './task-errors';
import { WORKER_DEFAULTS, resolveWorkerOptions, type WorkerOptions } from './worker-options';

const handler = () => undefined;
const env = { REDIS_URL: 'redis://example:6379', SUNDIAL_NAMESPACE: 'billing' };

describe('resolveWorkerOptions', () => {
  it('applies the defaults, REDIS_URL and SUNDIAL_NAMESPACE', () => {
    const resolved = resolveWorkerOptions({ tasks: [{ name: 'a', handler }, { name: 'b', queue: 'reports', handler }] }, env);
    expect(resolved).toMatchObject({
      connection: { kind: 'standalone', url: 'redis://example:6379' },
      namespace: 'billing',
      queues: ['default', 'reports'],
      concurrency: 10,
      prefetch: 0,
      shutdownGraceMs: 25_000,
      stalledIntervalMs: 30_000,
      maxStalledCount: 1,
      heartbeatEveryMs: 5_000,
      defaults: { retry: WORKER_DEFAULTS.retry, timeoutMs: undefined },
    });
    expect(resolved.tasks.names()).toEqual(['a', 'b']);
  });

  it('keeps what is given: queues, limits and default retry fields', () => {
    const resolved = resolveWorkerOptions(
      { tasks: [{ name: 'a', handler }], queues: ['x', 'y', 'x'], concurrency: 2, prefetch: 50, shutdownGraceMs: 0, defaults: { retry: { attempts: 3 }, timeoutMs: 500 }, namespace: 'ns' },
      env,
    );
    expect(resolved).toMatchObject({ queues: ['x', 'y'], concurrency: 2, prefetch: 50, shutdownGraceMs: 0, namespace: 'ns', defaults: { retry: { attempts: 3, backoff: 'exponential', delayMs: 1_000 }, timeoutMs: 500 } });
  });

  it.each<[string, Partial<WorkerOptions>, string]>([
    ['no tasks', { tasks: [] }, 'tasks'],
    ['a concurrency of 0', { concurrency: 0 }, 'concurrency'],
    ['a negative prefetch', { prefetch: -1 }, 'prefetch'],
    ['a fractional grace', { shutdownGraceMs: 1.5 }, 'shutdownGraceMs'],
    ['a stall interval too short', { stalledIntervalMs: 10 }, 'stalledIntervalMs'],
    ['a negative stall count', { maxStalledCount: -1 }, 'maxStalledCount'],
    ['an empty queue list', { queues: [] }, 'queues'],
    ['a queue with a colon', { queues: ['a:b'] }, 'queues'],
    ['default retry attempts of 0', { defaults: { retry: { attempts: 0 } } }, 'defaults.retry.attempts'],
    ['a default jitter past 1', { defaults: { retry: { jitter: 2 } } }, 'defaults.retry.jitter'],
    ['a bad namespace', { namespace: 'a b' }, 'namespace'],
  ])('rejects %s, naming the option', (_name, options, field) => {
    const error = thrownBy(() => resolveWorkerOptions({ tasks: [{ name: 'a', handler }], ...options } as WorkerOptions, env));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe(field);
  });

  it('rejects a bad task definition and two tasks with one name', () => {
    expect(thrownBy(() => resolveWorkerOptions({ tasks: [{ name: 'a', handler, concurrency: 0 }] }, env))).toBeInstanceOf(TaskDefinitionError);
    expect(thrownBy(() => resolveWorkerOptions({ tasks: [{ name: 'a', handler }, { name: 'a', handler }] }, env))).toBeInstanceOf(DuplicateTaskError);
  });
});
