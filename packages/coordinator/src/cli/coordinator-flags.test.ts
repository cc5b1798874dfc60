import { ValidationError } from '@sundial/shared';
import { resolveCoordinatorOptions } from '../coordinator-options';
import { DEFAULT_COORDINATOR_PORT, coordinatorErrorInFlagTerms, coordinatorOptionsFromFlags, type CoordinatorFlags } from './coordinator-flags';
import { thrownBy } from '../../../../test/support/errors';


describe('coordinatorOptionsFromFlags', () => {
  it('serves on port 8080 without flags, and keeps the other defaults', () => {
    expect(coordinatorOptionsFromFlags({})).toEqual({ port: DEFAULT_COORDINATOR_PORT });
    expect(DEFAULT_COORDINATOR_PORT).toBe(8080);
  });

  it('takes --port 0 (any free port) and --per-schedule-metrics', () => {
    expect(coordinatorOptionsFromFlags({ port: '0', perScheduleMetrics: true })).toEqual({ port: 0, perScheduleMetrics: true });
    expect(coordinatorOptionsFromFlags({ port: '9100', perScheduleMetrics: false })).toEqual({ port: 9100 });
  });

  it('reads durations into milliseconds and job retention into seconds', () => {
    expect(coordinatorOptionsFromFlags({ lease: '2s', renewEvery: '400ms', maxSleep: '250', jobRetentionCompleted: '1h', jobRetentionFailed: '1w' })).toEqual({
      leaseMs: 2_000,
      renewEveryMs: 400,
      maxSleepMs: 250,
      jobRetention: { completedSeconds: 3_600, failedSeconds: 604_800 },
      port: DEFAULT_COORDINATOR_PORT,
    });
  });

  it('sets only the retention given', () => {
    expect(coordinatorOptionsFromFlags({ jobRetentionFailed: '2d' })).toEqual({ jobRetention: { failedSeconds: 172_800 }, port: DEFAULT_COORDINATOR_PORT });
  });

  it.each<[string, CoordinatorFlags, string]>([
    ['a lease that is not a duration', { lease: 'long' }, '--lease'],
    ['a zero renewal interval', { renewEvery: '0s' }, '--renew-every'],
    ['a negative sleep', { maxSleep: '-1s' }, '--max-sleep'],
    ['a retention in milliseconds', { jobRetentionCompleted: '1500ms' }, '--job-retention-completed'],
    ['a retention below a second', { jobRetentionFailed: '500ms' }, '--job-retention-failed'],
  ])('rejects %s, naming %s', (_name, flags, field) => {
    const error = thrownBy(() => coordinatorOptionsFromFlags(flags));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ field });
  });

  it('reads --lookahead, off by default', () => {
    expect(coordinatorOptionsFromFlags({ lookahead: '500ms' })).toEqual({ lookaheadMs: 500, port: DEFAULT_COORDINATOR_PORT });
    expect(resolveCoordinatorOptions({ connection: 'redis://127.0.0.1:6379' }, {}).lookaheadMs).toBe(0);
  });

  it.each([['-1s'], ['soon']])('rejects --lookahead %s', (lookahead) => {
    expect(thrownBy(() => coordinatorOptionsFromFlags({ lookahead }))).toMatchObject({ field: '--lookahead' });
  });

  it('names --lookahead when it is over a minute', () => {
    const options = coordinatorOptionsFromFlags({ lookahead: '2m' });
    const error = coordinatorErrorInFlagTerms(thrownBy(() => resolveCoordinatorOptions({ ...options, connection: 'redis://127.0.0.1:6379', namespace: 'x' }, {})));
    expect(error).toMatchObject({ field: '--lookahead' });
    expect((error as ValidationError).problem).toMatch(/0 to 60000/);
  });

  it('names --renew-every when it is not well below the lease', () => {
    const options = coordinatorOptionsFromFlags({ lease: '2s', renewEvery: '1s' });
    const error = coordinatorErrorInFlagTerms(thrownBy(() => resolveCoordinatorOptions({ ...options, connection: 'redis://127.0.0.1:6379', namespace: 'x' }, {})));
    expect(error).toMatchObject({ field: '--renew-every' });
  });
});
