import { ValidationError, validateSchedule, type ScheduleSpec } from '@sundial/shared';
import { ValidationErrorList } from './validation-error-list';

/** One valid entry of a declared list of schedules (a schedule file, or `startSundial`'s `schedules`). */
export interface DesiredSchedule {
  /** Where it is in the list, e.g. `schedules[3]`, for messages. */
  readonly path: string;
  /** The schedule, validated and with the defaults applied. */
  readonly spec: ScheduleSpec;
  /** The `paused` the entry sets; undefined when it leaves the paused state alone. */
  readonly paused: boolean | undefined;
}

/**
 * Validates every entry of a declared list of schedules, and that no id repeats. It reports
 * every bad entry, not just the first, each error naming its field such as
 * `schedules[3].trigger.cron`.
 *
 * @param options.path - what the list is called in messages @defaultValue `"schedules"`
 * @throws ValidationErrorList with one error per bad entry (or repeated id)
 */
export function validateScheduleEntries(entries: readonly unknown[], options: { maxDataBytes?: number; path?: string } = {}): DesiredSchedule[] {
  const { path: listPath = 'schedules', ...limits } = options;
  const valid: DesiredSchedule[] = [];
  const errors: ValidationError[] = [];
  const pathOfId = new Map<string, string>();
  entries.forEach((entry, index) => {
    const path = `${listPath}[${index}]`;
    try {
      const { spec, paused } = validateSchedule(entry, { path, ...limits });
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
