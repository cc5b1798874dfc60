import { ValidationError } from '@sundial/shared';
import { parse as parseYaml } from 'yaml';
import { formatDetails, formatJson, formatTable, formatYaml, parseOutputFormat, render, type Table } from './output';

const table: Table = {
  columns: [{ header: '#', align: 'right' }, { header: 'NAME' }, { header: 'VALUE' }],
  rows: [
    ['1', 'a', 'first'],
    ['10', 'longer name', 'x'],
  ],
  empty: 'nothing',
};

describe('output', () => {
  it('aligns table columns two spaces apart, numbers right, without trailing spaces', () => {
    expect(formatTable(table)).toBe([' #  NAME         VALUE', ' 1  a            first', '10  longer name  x', ''].join('\n'));
  });

  it('leaves no trailing spaces when the last cells are empty', () => {
    expect(formatTable({ columns: [{ header: 'RUN' }, { header: 'NOTE' }], rows: [['a@1', ''], ['a@2', 'overlap']] })).toBe(['RUN  NOTE', 'a@1', 'a@2  overlap', ''].join('\n'));
  });

  it('prints the empty line for a table without rows', () => {
    expect(formatTable({ ...table, rows: [] })).toBe('nothing\n');
    expect(formatTable({ columns: table.columns, rows: [] })).toBe('#  NAME  VALUE\n');
  });

  it('prints JSON on one line', () => {
    expect(formatJson(['2026-03-08T07:00:00.000Z', '2026-03-09T06:30:00.000Z'])).toBe('["2026-03-08T07:00:00.000Z","2026-03-09T06:30:00.000Z"]\n');
  });

  it('builds only the format asked for', () => {
    const json = jest.fn(() => [1]);
    const tableOf = jest.fn(() => table);
    expect(render('json', { json, table: tableOf })).toBe('[1]\n');
    expect(tableOf).not.toHaveBeenCalled();
  });

  it('prints YAML that reads back as the JSON value, leaving out what JSON leaves out', () => {
    const value = { schedules: [{ id: 'a', trigger: { cron: '0 9 * * *' }, at: '2026-03-08T07:00:00.000Z', n: '010', retry: undefined }], nextCursor: null };
    const text = formatYaml(value);
    expect(text.endsWith('\n')).toBe(true);
    expect(parseYaml(text)).toEqual(JSON.parse(JSON.stringify(value)));
    expect(text).not.toContain('retry');
  });

  it('renders the JSON value as YAML for -o yaml', () => {
    expect(render('yaml', { json: () => ['2026-03-08T07:00:00.000Z'], table: () => table })).toBe('- 2026-03-08T07:00:00.000Z\n');
  });

  it('prints laid-out text as is for -o table, ending it with a newline', () => {
    expect(render('table', { json: () => null, table: () => 'nightly@now-1' })).toBe('nightly@now-1\n');
    expect(render('table', { json: () => null, table: () => 'a\nb\n' })).toBe('a\nb\n');
  });

  it('aligns labelled values without trailing spaces', () => {
    expect(formatDetails([['id', 'nightly'], ['next fire time', '2026-03-08T07:00:00.000Z'], ['labels', '']])).toBe(
      ['id:              nightly', 'next fire time:  2026-03-08T07:00:00.000Z', 'labels:', ''].join('\n'),
    );
  });

  it.each(['json', 'yaml', 'table'] as const)('accepts -o %s', (format) => {
    expect(parseOutputFormat(format)).toBe(format);
  });

  it.each(['xml', 'JSON', ''])('rejects -o %j, naming -o', (format) => {
    expect(() => parseOutputFormat(format)).toThrow(ValidationError);
    expect(() => parseOutputFormat(format)).toThrow(expect.objectContaining({ field: '-o' }));
  });
});
