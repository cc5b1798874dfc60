import { ValidationError } from '@sundial/shared';
import { parseScheduleFile, validateScheduleEntries } from './schedule-file';
import { ValidationErrorList } from './validation-error-list';
import { thrownBy } from '../../../../test/support/errors';


describe('parseScheduleFile', () => {
  const entry = { id: 'nightly', task: 'report', trigger: { cron: '0 2 * * *' } };

  it.each([
    ['YAML with a schedules list', 'schedules:\n  - id: nightly\n    task: report\n    trigger:\n      cron: "0 2 * * *"\n'],
    ['JSON with a schedules list', JSON.stringify({ schedules: [entry] })],
    ['a YAML list alone', '- id: nightly\n  task: report\n  trigger: {cron: "0 2 * * *"}\n'],
    ['a JSON array alone', JSON.stringify([entry])],
  ])('reads %s', (_name, text) => {
    expect(parseScheduleFile(text, 'schedules.yaml')).toEqual([entry]);
  });

  it('keeps ISO-8601 times as text', () => {
    expect(parseScheduleFile('- trigger: {at: 2027-01-01T09:00:00Z}\n', 'f.yaml')).toEqual([{ trigger: { at: '2027-01-01T09:00:00Z' } }]);
  });

  it.each([
    ['text that is neither YAML nor JSON', 'schedules: [\n  {id: a\n', '-f'],
    ['an empty file', '', '-f'],
    ['a number', '42', '-f'],
    ['schedules that are not a list', 'schedules: {id: a}', 'schedules'],
    ['no schedules', 'version: 1', 'version'],
    ['an unknown top-level field', 'schedules: []\nextra: 1', 'extra'],
  ])('rejects %s, naming %s', (_name, text, field) => {
    const error = thrownBy(() => parseScheduleFile(text, 'f.yaml'));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ field });
    expect((error as Error).message).not.toContain('\n');
  });
});

describe('validateScheduleEntries', () => {
  it('applies the defaults and remembers whether an entry sets paused', () => {
    const [plain, paused] = validateScheduleEntries([
      { id: 'a', task: 't', trigger: { every: '1h' } },
      { id: 'b', task: 't', trigger: { every: '1h' }, paused: true, misfireGrace: '5m' },
    ]);
    expect(plain).toMatchObject({ path: 'schedules[0]', paused: undefined, spec: { id: 'a', queue: 'default', misfireGrace: null } });
    expect(paused).toMatchObject({ path: 'schedules[1]', paused: true, spec: { id: 'b', misfireGrace: 300_000 } });
  });

  it('reports every bad entry, each naming its field, and a repeated id', () => {
    const error = thrownBy(() =>
      validateScheduleEntries([
        { id: 'a', task: 't', trigger: { every: '1h' } },
        { id: 'b', task: 't', trigger: { cron: '61 * * * *' } },
        { id: 'a', task: 't', trigger: { every: '2h' } },
        { id: 'c', task: 't', trigger: { every: '1h' }, overlap: 'queue' },
        'not a schedule',
      ]),
    );
    expect(error).toBeInstanceOf(ValidationErrorList);
    const fields = (error as ValidationErrorList).errors.map((each) => each.field);
    expect(fields).toEqual(['schedules[1].trigger.cron', 'schedules[2].id', 'schedules[3].overlap', 'schedules[4]']);
    expect((error as ValidationErrorList).errors[1]?.message).toBe('schedules[2].id: "a" is already the id of schedules[0]');
  });

  it('accepts an empty list', () => {
    expect(validateScheduleEntries([])).toEqual([]);
  });
});
