import { ValidationError } from '@sundial/shared';
import { parse as parseYaml } from 'yaml';

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : JSON.stringify(value);
}

/**
 * The entries of a schedule file's text, YAML or JSON: `{ schedules: [...] }`, or the array of
 * schedules alone. The entries are not validated yet (`validateScheduleEntries` checks them).
 *
 * @param source - the file name, for messages
 * @throws ValidationError naming `-f` for text that is neither YAML nor JSON, or `schedules` for the wrong shape
 */
export function parseScheduleFile(text: string, source: string): unknown[] {
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (error) {
    const [firstLine = ''] = (error as Error).message.split('\n');
    throw new ValidationError('-f', `${source} is not valid YAML or JSON: ${firstLine}`, { cause: error });
  }
  if (Array.isArray(document)) return document as unknown[];
  if (document === null || typeof document !== 'object') {
    throw new ValidationError('-f', `${source}: expected {"schedules": [...]} or an array of schedules, got ${document === null || document === undefined ? 'an empty file' : describe(document)}`);
  }
  const [unknownKey] = Object.keys(document).filter((key) => key !== 'schedules');
  if (unknownKey !== undefined) throw new ValidationError(unknownKey, 'unknown field; a schedule file holds only "schedules"');
  const { schedules } = document as { schedules?: unknown };
  if (!Array.isArray(schedules)) throw new ValidationError('schedules', `expected an array of schedules, got ${schedules === undefined ? 'nothing' : describe(schedules)}`);
  return schedules as unknown[];
}
