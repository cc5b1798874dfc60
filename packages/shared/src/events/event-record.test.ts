import { eventFields } from './event-append';
import { parseEventEntry } from './event-record';
import { compareStreamIds, isStreamId } from './stream-id';

describe('parseEventEntry', () => {
  it('reads a run event: ISO times, numbers, text', () => {
    const fields = ['type', 'run.failed', 'scheduleId', 'nightly', 'runId', 'nightly@1767225600000', 'fireTime', '1767225600000', 'status', 'failed',
      'count', '1', 'attempt', '3', 'task', 'report', 'error', 'Error: boom', 'worker', 'w1', 'time', '1767225601500'];
    expect(parseEventEntry('1767225601500-0', fields)).toEqual({
      id: '1767225601500-0',
      type: 'run.failed',
      time: '2026-01-01T00:00:01.500Z',
      scheduleId: 'nightly',
      runId: 'nightly@1767225600000',
      fireTime: '2026-01-01T00:00:00.000Z',
      status: 'failed',
      count: 1,
      attempt: 3,
      task: 'report',
      error: 'Error: boom',
      worker: 'w1',
    });
  });

  it('leaves out empty and unknown fields', () => {
    const fields = ['type', 'schedule.added', 'scheduleId', 'a', 'runId', '', 'fireTime', '', 'status', '', 'reason', '', 'count', '', 'color', 'blue', 'time', '1000'];
    expect(parseEventEntry('1000-1', fields)).toEqual({ id: '1000-1', type: 'schedule.added', time: '1970-01-01T00:00:01.000Z', scheduleId: 'a' });
  });

  it('reads leader and worker events', () => {
    expect(parseEventEntry('5-0', ['type', 'leader.elected', 'epoch', '7', 'coordinator', 'c1', 'time', '5'])).toEqual({
      id: '5-0',
      type: 'leader.elected',
      time: '1970-01-01T00:00:00.005Z',
      epoch: 7,
      coordinator: 'c1',
    });
    expect(parseEventEntry('6-0', ['type', 'worker.left', 'worker', 'w1', 'reason', 'expired', 'time', '6'])).toMatchObject({ worker: 'w1', reason: 'expired' });
  });

  it('takes the time from the id when the entry has none', () => {
    expect(parseEventEntry('2000-3', ['type', 'run.missed'])?.time).toBe('1970-01-01T00:00:02.000Z');
  });

  it('ignores entries of unknown or old types', () => {
    expect(parseEventEntry('1-0', ['type', 'schedule.created', 'scheduleId', 'a', 'time', '1'])).toBeUndefined();
    expect(parseEventEntry('1-0', ['scheduleId', 'a', 'time', '1'])).toBeUndefined();
  });

  it('reads what eventFields writes', () => {
    const fields = eventFields({ type: 'run.enqueued', timeMs: 2_000, scheduleId: 's', runId: 's@1000', fireTimeMs: 1_000, status: 'enqueued', reason: 'retried', count: 1, task: '' });
    expect(fields).toEqual(['type', 'run.enqueued', 'scheduleId', 's', 'runId', 's@1000', 'fireTime', '1000', 'status', 'enqueued', 'reason', 'retried', 'count', '1', 'time', '2000']);
    expect(parseEventEntry('2000-0', fields)).toMatchObject({ type: 'run.enqueued', fireTime: '1970-01-01T00:00:01.000Z', reason: 'retried', count: 1 });
  });
});

describe('stream ids', () => {
  it.each([
    ['1767225600000-0', true],
    ['1767225600000', true],
    ['0-0', true],
    ['$', false],
    ['now', false],
    ['12-', false],
    ['-1', false],
    ['1.5-0', false],
  ])('%s is an id: %s', (text, valid) => {
    expect(isStreamId(text)).toBe(valid);
  });

  it('compares in stream order, sequence numbers included', () => {
    expect(compareStreamIds('1000-0', '999-5')).toBeGreaterThan(0);
    expect(compareStreamIds('1000-2', '1000-10')).toBeLessThan(0);
    expect(compareStreamIds('1000', '1000-0')).toBe(0);
    expect(compareStreamIds('18446744073709551615-0', '18446744073709551614-9')).toBeGreaterThan(0);
  });
});
