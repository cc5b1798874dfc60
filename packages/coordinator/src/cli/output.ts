import { ValidationError } from '@sundial/shared';

/** The output formats every command takes with `-o`. */
export const OUTPUT_FORMATS = ['json', 'table'] as const;

/** One of {@link OUTPUT_FORMATS}: `json` for scripts, `table` for people. */
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
  /** The value to print as JSON. */
  json(): unknown;
  /** The table to print. */
  table(): Table;
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
      .join(COLUMN_GAP);
  return lines.map((cells) => `${format(cells)}\n`).join('');
}

/** A command's result as text in the format asked for. */
export function render(format: OutputFormat, rendering: Rendering): string {
  return format === 'json' ? formatJson(rendering.json()) : formatTable(rendering.table());
}
