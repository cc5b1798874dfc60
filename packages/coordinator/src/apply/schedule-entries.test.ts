import { validateScheduleEntries } from './schedule-entries';
import { ValidationErrorList } from './validation-error-list';
import { thrownBy } from '../../../../test/support/errors';

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

  it('names the entries after the list it is given', () => {
    const error = thrownBy(() => validateScheduleEntries([{ id: 'a', task: 't', trigger: { every: 'often' } }], { path: 'declared' }));
    expect((error as ValidationErrorList).errors.map((each) => each.field)).toEqual(['declared[0].trigger.every']);
  });

  it('accepts an empty list', () => {
    expect(validateScheduleEntries([])).toEqual([]);
  });
});
