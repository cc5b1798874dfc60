import { ValidationError } from '@sundial/shared';
import { formatJson, formatTable, parseOutputFormat, render, type Table } from './output';

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

  it.each(['json', 'table'] as const)('accepts -o %s', (format) => {
    expect(parseOutputFormat(format)).toBe(format);
  });

  it.each(['yaml', 'JSON', ''])('rejects -o %j, naming -o', (format) => {
    expect(() => parseOutputFormat(format)).toThrow(ValidationError);
    expect(() => parseOutputFormat(format)).toThrow(expect.objectContaining({ field: '-o' }));
  });
});
