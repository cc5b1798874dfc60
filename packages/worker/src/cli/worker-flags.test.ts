import { ValidationError } from '@sundial/shared';
import { thrownBy } from '../../../../test/support/errors';
import { DEFAULT_WORKER_PORT, workerErrorInFlagTerms, workerTuningFromFlags, type WorkerFlags } from './worker-flags';

describe('sundial-worker flags', () => {
  it('turns the flags into worker options', () => {
    expect(workerTuningFromFlags({ tasks: 't.js', concurrency: '4', prefetch: '200', queues: 'a, b', shutdownGrace: '10s', stalledInterval: '1500ms' })).toEqual({
      concurrency: 4,
      prefetch: 200,
      queues: ['a', 'b'],
      shutdownGraceMs: 10_000,
      stalledIntervalMs: 1_500,
      port: DEFAULT_WORKER_PORT,
    });
    expect(workerTuningFromFlags({ tasks: 't.js' })).toEqual({ port: 9464 });
    expect(workerTuningFromFlags({ tasks: 't.js', port: '0' })).toEqual({ port: 0 });
  });

  it.each<[Partial<WorkerFlags>, string]>([
    [{ concurrency: 'many' }, '--concurrency'],
    [{ concurrency: '0' }, '--concurrency'],
    [{ prefetch: '-1' }, '--prefetch'],
    [{ prefetch: 'lots' }, '--prefetch'],
    [{ queues: 'a,' }, '--queues'],
    [{ shutdownGrace: 'soon' }, '--shutdown-grace'],
    [{ stalledInterval: '10ms' }, '--stalled-interval'],
    [{ port: '65536' }, '--port'],
  ])('rejects %j naming the flag', (flags, flag) => {
    const error = thrownBy(() => workerTuningFromFlags({ tasks: 't.js', ...flags }));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe(flag);
  });

  it('restates option errors in terms of flags and variables', () => {
    expect((workerErrorInFlagTerms(new ValidationError('queues', 'bad')) as ValidationError).message).toBe('--queues: bad');
    expect((workerErrorInFlagTerms(new ValidationError('namespace', 'bad')) as ValidationError).message).toBe('SUNDIAL_NAMESPACE: bad');
    expect((workerErrorInFlagTerms(new ValidationError('tasks[0].name', 'bad')) as ValidationError).message).toBe('tasks[0].name: bad');
  });
});
