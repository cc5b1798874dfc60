import { ValidationError } from '@sundial/shared';
import type { Command } from 'commander';
import { stringify as stringifyYaml } from 'yaml';

/** The output formats every command takes with `-o`. */
export const OUTPUT_FORMATS = ['json', 'yaml', 'table'] as const;

/** One of {@link OUTPUT_FORMATS}: `json` and `yaml` for scripts and files, `table` for people. */
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** A column of a {@link Table}. */
export interface TableColumn {
  /** The column's heading. */
  readonly header: string;
  /** Numbers read best aligned right. @defaultValue `"left"` */
  readonly align?: 'left' | 'right';
}

/** Rows of text under column headings. */
export interface Table {
  /** The columns, left to right. */
  readonly columns: readonly TableColumn[];
  /** One array of cells per row, in column order. */
  readonly rows: readonly (readonly string[])[];
  /** A line printed instead of the table when there are no rows. @defaultValue the header alone */
  readonly empty?: string;
}

/** A command's result in each output format, built only for the format asked for. */
export interface Rendering {
  /** The value to print as JSON or YAML. */
  json(): unknown;
  /** What to print for people: a table, or text already laid out (see {@link formatDetails}). */
  table(): Table | string;
}

const COLUMN_GAP = '  ';

/**
 * Checks the value of `-o`.
 *
 * @throws ValidationError naming `-o`
 */
export function parseOutputFormat(value: string): OutputFormat {
  const format = OUTPUT_FORMATS.find((candidate) => candidate === value);
  if (format === undefined) {
    throw new ValidationError('-o', `expected one of ${OUTPUT_FORMATS.join(', ')}, got ${JSON.stringify(value)}`);
  }
  return format;
}

/** A value as one line of JSON, ending with a newline. */
export function formatJson(value: unknown): string {
  return `${JSON.stringify(value)}\n`;
}

/** A value as a YAML document, ending with a newline; what JSON would drop (`undefined`) is left out. */
export function formatYaml(value: unknown): string {
  return stringifyYaml(JSON.parse(JSON.stringify(value) ?? 'null'));
}

/**
 * Labelled values of one thing, one per line, the values aligned:
 *
 * ```text
 * id:       nightly-report
 * trigger:  {"cron":"0 2 * * *"}
 * ```
 */
export function formatDetails(fields: readonly (readonly [label: string, value: string])[]): string {
  const width = fields.reduce((max, [label]) => Math.max(max, label.length + 1), 0);
  return fields.map(([label, value]) => `${`${`${label}:`.padEnd(width)}${COLUMN_GAP}${value}`.trimEnd()}\n`).join('');
}

/**
 * A table as aligned text, one line per row under a header line, columns two spaces apart and
 * no trailing spaces.
 */
export function formatTable(table: Table): string {
  if (table.rows.length === 0 && table.empty !== undefined) return `${table.empty}\n`;
  const lines = [table.columns.map((column) => column.header), ...table.rows];
  const widths = table.columns.map((_, index) => lines.reduce((width, cells) => Math.max(width, (cells[index] ?? '').length), 0));
  const last = table.columns.length - 1;
  const format = (cells: readonly string[]) =>
    table.columns
      .map((column, index) => {
        const cell = cells[index] ?? '';
        const width = widths[index] ?? 0;
        if (column.align === 'right') return cell.padStart(width);
        return index === last ? cell : cell.padEnd(width);
      })
      .join(COLUMN_GAP)
      .trimEnd();
  return lines.map((cells) => `${format(cells)}\n`).join('');
}

/** A command's result as text in the format asked for. */
export function render(format: OutputFormat, rendering: Rendering): string {
  if (format === 'json') return formatJson(rendering.json());
  if (format === 'yaml') return formatYaml(rendering.json());
  const forPeople = rendering.table();
  if (typeof forPeople !== 'string') return formatTable(forPeople);
  return forPeople === '' || forPeople.endsWith('\n') ? forPeople : `${forPeople}\n`;
}

/** Declares `-o, --output <format>` (see {@link OUTPUT_FORMATS}) on a command, `table` by default. */
export function addOutputFlag(command: Command): Command {
  return command.option('-o, --output <format>', OUTPUT_FORMATS.join(', ').replace(/, (\w+)$/, ' or $1'), 'table');
}
