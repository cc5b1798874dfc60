import { ValidationError } from '@sundial/shared';
import { parseScheduleFile } from './schedule-file';
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
