import { validateSchedule, type Schedule, type ScheduleInput } from '@sundial/shared';
import { diffSchedules } from './schedule-diff';
import type { DesiredSchedule } from './schedule-entries';

function entry(input: ScheduleInput, index = 0): DesiredSchedule {
  const { spec, paused } = validateSchedule(input);
  return { path: `schedules[${index}]`, spec, paused: input.paused === undefined ? undefined : paused };
}

/** A stored schedule as the client returns it: the spec (as JSON keeps it) with its state. */
function stored(input: ScheduleInput, state: { paused?: boolean } = {}): Schedule {
  const { spec } = validateSchedule(input);
  return {
    ...(JSON.parse(JSON.stringify(spec)) as typeof spec),
    state: {
      paused: state.paused ?? false,
      pausedAt: null,
      nextFireTime: '2026-03-08T00:00:00.000Z',
      nextFireAt: '2026-03-08T00:00:00.000Z',
      lastFireTime: '2026-03-07T00:00:00.000Z',
      pausedFires: 0,
      enqueued: 3,
      missed: 0,
      skipped: 1,
      version: 4,
      createdAt: '2026-03-01T00:00:00.000Z',
      updatedAt: '2026-03-07T00:00:00.000Z',
    },
  };
}

const hourly: ScheduleInput = { id: 'hourly', task: 'sync', trigger: { every: '1h' } };
const nightly: ScheduleInput = { id: 'nightly', task: 'report', trigger: { cron: '0 2 * * *' }, data: { to: 'ops', format: 'pdf' } };

describe('diffSchedules', () => {
  it('creates what is missing and leaves what matches, state aside', () => {
    const diff = diffSchedules([entry(hourly), entry(nightly, 1)], [stored(hourly)], false);
    expect(diff.create.map((each) => each.spec.id)).toEqual(['nightly']);
    expect(diff.unchanged).toEqual(['hourly']);
    expect(diff.update).toEqual([]);
  });

  it('sees the same data in another key order as unchanged', () => {
    const reordered = { ...nightly, data: { format: 'pdf', to: 'ops' } };
    expect(diffSchedules([entry(reordered)], [stored(nightly)], false).unchanged).toEqual(['nightly']);
  });

  it('sees written-out defaults and durations in other forms as unchanged', () => {
    const spelledOut: ScheduleInput = { ...hourly, queue: 'default', misfireGrace: 'none', overlap: 'skip', labels: {} };
    expect(diffSchedules([entry(spelledOut)], [stored({ ...hourly, misfireGrace: null })], false).unchanged).toEqual(['hourly']);
    expect(diffSchedules([entry({ ...hourly, timeout: '1m' })], [stored({ ...hourly, timeout: 60_000 })], false).unchanged).toEqual(['hourly']);
  });

  it.each<[string, ScheduleInput, ScheduleInput, string[]]>([
    ['a new trigger and queue', { ...hourly, trigger: { every: '2h' }, queue: 'sync' }, hourly, ['trigger', 'queue']],
    ['a retry added', { ...hourly, retry: { attempts: 3 } }, hourly, ['retry']],
    ['a timeout dropped', hourly, { ...hourly, timeout: '30s' }, ['timeout']],
    ['a label changed', { ...hourly, labels: { team: 'b' } }, { ...hourly, labels: { team: 'a' } }, ['labels']],
  ])('updates %s, naming the fields', (_name, desired, current, fields) => {
    const diff = diffSchedules([entry(desired)], [stored(current)], false);
    expect(diff.update).toEqual([{ entry: entry(desired), fields, specChanged: true }]);
  });

  it('pauses or resumes only when the entry sets paused', () => {
    expect(diffSchedules([entry({ ...hourly, paused: true })], [stored(hourly)], false).update).toEqual([
      { entry: entry({ ...hourly, paused: true }), fields: ['paused'], specChanged: false },
    ]);
    expect(diffSchedules([entry({ ...hourly, paused: false })], [stored(hourly, { paused: true })], false).update[0]?.fields).toEqual(['paused']);
    expect(diffSchedules([entry(hourly)], [stored(hourly, { paused: true })], false).unchanged).toEqual(['hourly']);
  });

  it('removes what the file lacks only with prune', () => {
    expect(diffSchedules([entry(hourly)], [stored(hourly), stored(nightly)], false)).toMatchObject({ remove: [], extra: ['nightly'] });
    expect(diffSchedules([entry(hourly)], [stored(hourly), stored(nightly)], true)).toMatchObject({ remove: ['nightly'], extra: [] });
  });
});
