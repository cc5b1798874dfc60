import { ValidationError, validateSchedule, type ScheduleSpec } from '@sundial/shared';
import { parse as parseYaml } from 'yaml';
import { ValidationErrorList } from './validation-error-list';

/** One valid entry of a schedule file. */
export interface FileSchedule {
  /** Where it is in the file, e.g. `schedules[3]`, for messages. */
  readonly path: string;
  /** The schedule, validated and with the defaults applied. */
  readonly spec: ScheduleSpec;
  /** The `paused` the entry sets; undefined when it leaves the paused state alone. */
  readonly paused: boolean | undefined;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : JSON.stringify(value);
}

/**
 * The entries of a schedule file's text, YAML or JSON: `{ schedules: [...] }`, or the array of
 * schedules alone. The entries are not validated yet (see {@link validateScheduleEntries}).
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

/**
 * Validates every entry of a schedule file, and that no id repeats. It reports every bad entry,
 * not just the first, each error naming its field such as `schedules[3].trigger.cron`.
 *
 * @throws ValidationErrorList with one error per bad entry (or repeated id)
 */
export function validateScheduleEntries(entries: readonly unknown[], options: { maxDataBytes?: number } = {}): FileSchedule[] {
  const valid: FileSchedule[] = [];
  const errors: ValidationError[] = [];
  const pathOfId = new Map<string, string>();
  entries.forEach((entry, index) => {
    const path = `schedules[${index}]`;
    try {
      const { spec, paused } = validateSchedule(entry, { path, ...options });
      const first = pathOfId.get(spec.id);
      if (first !== undefined) {
        errors.push(new ValidationError(`${path}.id`, `${JSON.stringify(spec.id)} is already the id of ${first}`));
        return;
      }
      pathOfId.set(spec.id, path);
      const given = (entry as { paused?: boolean }).paused;
      valid.push({ path, spec, paused: given === undefined ? undefined : paused });
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      errors.push(error);
    }
  });
  if (errors.length > 0) throw new ValidationErrorList(errors);
  return valid;
}
