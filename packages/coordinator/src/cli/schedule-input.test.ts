import { InvalidTriggerError, ValidationError, validateSchedule, type ScheduleInput } from '@sundial/shared';
import { inFlagTerms, type ScheduleFlags } from './schedule-flags';
import { labelsFromFlags, retryFromFlags, scheduleChangesFromFlags, scheduleInputFromFlags, type ScheduleChanges } from './schedule-input';

function errorOf(build: () => unknown): unknown {
  try {
    build();
  } catch (error) {
    return error;
  }
  throw new Error('expected the builder to throw');
}

describe('scheduleInputFromFlags', () => {
  it.each<[string, ScheduleFlags & { paused?: boolean }, ScheduleInput]>([
    ['the least: a task and a trigger', { task: 'report', cron: '0 2 * * *' }, { id: 'nightly', task: 'report', trigger: { cron: '0 2 * * *' } }],
    [
      'a trigger with a zone and bounds',
      { task: 'report', every: '15m', timezone: 'Europe/Berlin', start: '2026-01-01T00:00:00Z' },
      { id: 'nightly', task: 'report', trigger: { every: '15m', timezone: 'Europe/Berlin', start: '2026-01-01T00:00:00Z' } },
    ],
    ['JSON data', { task: 'report', at: '2027-01-01T09:00:00Z', data: '{"to":["ops"],"n":1}' }, { id: 'nightly', task: 'report', trigger: { at: '2027-01-01T09:00:00Z' }, data: { to: ['ops'], n: 1 } }],
    ['JSON null data', { task: 'report', every: '1h', data: 'null' }, { id: 'nightly', task: 'report', trigger: { every: '1h' }, data: null }],
    [
      'every policy',
      {
        task: 'report',
        every: '1h',
        queue: 'reports',
        misfireGrace: '5m',
        coalesce: 'all',
        catchUpLimit: '10',
        overlap: 'buffer-one',
        maxInstances: '2',
        priority: '7',
        timeout: '30s',
      },
      {
        id: 'nightly',
        task: 'report',
        trigger: { every: '1h' },
        queue: 'reports',
        misfireGrace: '5m',
        coalesce: 'all',
        catchUpLimit: 10,
        overlap: 'buffer-one',
        maxInstances: 2,
        priority: 7,
        timeout: '30s',
      },
    ],
    ['no misfire grace', { task: 'report', every: '1h', misfireGrace: 'none' }, { id: 'nightly', task: 'report', trigger: { every: '1h' }, misfireGrace: null }],
    [
      'retries',
      { task: 'report', every: '1h', retryAttempts: '3', retryBackoff: 'fixed', retryDelay: '10s' },
      { id: 'nightly', task: 'report', trigger: { every: '1h' }, retry: { attempts: 3, backoff: 'fixed', delay: '10s' } },
    ],
    [
      'labels',
      { task: 'report', every: '1h', label: ['team=billing', 'query=a=b', 'empty='] },
      { id: 'nightly', task: 'report', trigger: { every: '1h' }, labels: { team: 'billing', query: 'a=b', empty: '' } },
    ],
    ['a paused schedule', { task: 'report', every: '1h', paused: true }, { id: 'nightly', task: 'report', trigger: { every: '1h' }, paused: true }],
  ])('builds %s', (_name, flags, expected) => {
    const input = scheduleInputFromFlags('nightly', flags);
    expect(input).toEqual(expected);
    expect(() => validateSchedule(input)).not.toThrow();
  });

  it.each<[string, ScheduleFlags, string]>([
    ['no task', { every: '1h' }, '--task'],
    ['malformed data', { task: 'report', every: '1h', data: '{to: ops}' }, '--data'],
    ['an unknown coalesce policy', { task: 'report', every: '1h', coalesce: 'newest' }, '--coalesce'],
    ['an unknown overlap policy', { task: 'report', every: '1h', overlap: 'queue' }, '--overlap'],
    ['a fractional max instances', { task: 'report', every: '1h', maxInstances: '1.5' }, '--max-instances'],
    ['a negative priority', { task: 'report', every: '1h', priority: '-1' }, '--priority'],
    ['a word for the catch-up limit', { task: 'report', every: '1h', catchUpLimit: 'ten' }, '--catch-up-limit'],
    ['a retry delay without attempts', { task: 'report', every: '1h', retryDelay: '1s' }, '--retry-attempts'],
    ['an unknown backoff', { task: 'report', every: '1h', retryAttempts: '2', retryBackoff: 'linear' }, '--retry-backoff'],
    ['a label without =', { task: 'report', every: '1h', label: ['team'] }, '--label'],
    ['a label without a key', { task: 'report', every: '1h', label: ['=x'] }, '--label'],
    ['a label key given twice', { task: 'report', every: '1h', label: ['a=1', 'a=2'] }, '--label'],
  ])('rejects %s, naming %s', (_name, flags, field) => {
    const error = errorOf(() => scheduleInputFromFlags('nightly', flags));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ field });
  });

  it('leaves the trigger errors to the trigger flags', () => {
    expect(errorOf(() => scheduleInputFromFlags('nightly', { task: 'report' }))).toBeInstanceOf(InvalidTriggerError);
    expect(errorOf(() => scheduleInputFromFlags('nightly', { task: 'report', cron: '* * * * *', every: '1m' }))).toMatchObject({ field: 'trigger' });
  });
});

describe('scheduleChangesFromFlags', () => {
  it.each<[string, ScheduleFlags, ScheduleChanges]>([
    ['one field', { queue: 'reports' }, { queue: 'reports' }],
    ['a new trigger from its flags', { cron: '0 3 * * *', timezone: 'UTC' }, { trigger: { cron: '0 3 * * *', timezone: 'UTC' } }],
    ['a new task and data', { task: 'export', data: '{"format":"csv"}' }, { task: 'export', data: { format: 'csv' } }],
    ['all labels at once', { label: ['team=ops'] }, { labels: { team: 'ops' } }],
    ['no labels at all', { label: [] }, { labels: {} }],
  ])('builds %s, and only that', (_name, flags, expected) => {
    expect(scheduleChangesFromFlags(flags)).toEqual(expected);
  });

  it('changes the retry settings one field at a time', () => {
    expect(scheduleChangesFromFlags({ retryDelay: '5s' }, { attempts: 3, backoff: 'fixed', delay: 1000 })).toEqual({ retry: { attempts: 3, backoff: 'fixed', delay: '5s' } });
  });

  it('rejects an update that changes nothing', () => {
    expect(errorOf(() => scheduleChangesFromFlags({}))).toBeInstanceOf(ValidationError);
  });

  it('rejects a trigger field flag without a kind flag', () => {
    expect(errorOf(() => scheduleChangesFromFlags({ timezone: 'Europe/Berlin' }))).toMatchObject({ field: 'trigger' });
  });
});

describe('retryFromFlags', () => {
  it('gives nothing without retry flags', () => {
    expect(retryFromFlags({}, { attempts: 3 })).toBeUndefined();
  });

  it('takes the attempts from the flag over the current ones', () => {
    expect(retryFromFlags({ retryAttempts: '5' }, { attempts: 3, backoff: 'exponential', delay: 200 })).toEqual({ attempts: 5, backoff: 'exponential', delay: 200 });
  });
});

describe('labelsFromFlags', () => {
  it('splits at the first =', () => {
    expect(labelsFromFlags(['url=https://example.com/?a=b'])).toEqual({ url: 'https://example.com/?a=b' });
  });
});

describe('inFlagTerms', () => {
  function validationErrorOf(input: unknown): unknown {
    return errorOf(() => validateSchedule(input));
  }
  const base = { id: 'nightly', task: 'report', trigger: { every: '1h' } };

  it.each<[string, Record<string, unknown>, string]>([
    ['a misfire grace', { misfireGrace: 'soon' }, '--misfire-grace'],
    ['max instances out of range', { maxInstances: 0 }, '--max-instances'],
    ['a catch-up limit out of range', { catchUpLimit: 10_001 }, '--catch-up-limit'],
    ['a priority out of range', { priority: 3_000_000 }, '--priority'],
    ['a timeout', { timeout: '0s' }, '--timeout'],
    ['retry attempts out of range', { retry: { attempts: 0 } }, '--retry-attempts'],
    ['a retry delay', { retry: { attempts: 2, delay: 'later' } }, '--retry-delay'],
    ['a queue name', { queue: 'a:b' }, '--queue'],
    ['a label key', { labels: { 'bad key': 'x' } }, '--label'],
  ])('names the flag of %s', (_name, fields, flag) => {
    const error = inFlagTerms(validationErrorOf({ ...base, ...fields }));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ field: flag });
  });

  it('keeps the trigger field of a trigger error', () => {
    const error = inFlagTerms(validationErrorOf({ ...base, trigger: { cron: '61 * * * *' } }));
    expect(error).toBeInstanceOf(InvalidTriggerError);
    expect(error).toMatchObject({ field: 'trigger.cron' });
  });

  it('passes other errors through', () => {
    const error = new Error('boom');
    expect(inFlagTerms(error)).toBe(error);
  });
});
