import { readFileSync } from 'node:fs';
import { ValidationError, type SundialOperations } from '@sundial/shared';
import type { Command } from 'commander';
import type { CliContext } from '../cli-context';
import type { ConnectionFlags } from '../connection';
import { diffJson, formatDiff } from '../diff-view';
import { addOutputFlag, parseOutputFormat, render } from '../output';
import { reportWarning } from '../report-error';
import { applySchedules } from '../../apply/apply-schedules';
import type { ScheduleDiff } from '../../apply/schedule-diff';
import { validateScheduleEntries, type DesiredSchedule } from '../../apply/schedule-entries';
import { ValidationErrorList } from '../../apply/validation-error-list';
import { parseScheduleFile } from '../schedule-file';
import { withClient } from '../with-client';
import { servedTasks, unservedTaskError } from '../worker-check';

/** The flags of `sundial apply`, as commander parses them. */
export interface ApplyFlags extends ConnectionFlags {
  /** `-f FILE`: the schedule file, YAML or JSON. */
  file: string;
  /** `--prune`: remove schedules that are not in the file. */
  prune?: boolean;
  /** `--dry-run`: print what would change, change nothing. */
  dryRun?: boolean;
  /** `--strict`: refuse, changing nothing, when a schedule to add or change has a task no live worker serves. */
  strict?: boolean;
  /** `-o json|yaml|table`. @defaultValue `"table"` */
  output: string;
}

/** With `--strict`, the error for every schedule to add or change whose task no live worker serves. */
async function checkTasks(client: SundialOperations, diff: ScheduleDiff): Promise<void> {
  const touched = [...diff.create, ...diff.update.filter((update) => update.specChanged).map((update) => update.entry)];
  if (touched.length === 0) return;
  const served = await servedTasks(client);
  const errors = touched.filter((entry) => !served.has(entry.spec.task)).map((entry) => unservedTaskError(`${entry.path}.task`, entry.spec.task));
  if (errors.length > 0) throw new ValidationErrorList(errors);
}

/**
 * Reads and validates a schedule file: every bad entry is reported.
 *
 * @throws ValidationError naming `-f` when the file cannot be read; ValidationErrorList for bad entries
 */
export function readScheduleFile(file: string): DesiredSchedule[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ValidationError('-f', `cannot read ${file}: ${(error as Error).message}`, { cause: error });
  }
  return validateScheduleEntries(parseScheduleFile(text, file));
}

/**
 * Runs `sundial apply`: makes the schedules (in Redis, or behind `--api`) match a schedule file. Every entry is
 * validated first; if any is bad, every error is printed and nothing changes. Then it adds the
 * schedules that are missing, updates those that differ, pauses or resumes those whose `paused`
 * differs, and with `--prune` removes those not in the file, and prints what it did (with
 * `--dry-run`, what it would do). Applying the same file again changes nothing, and several
 * applies of one file at once converge (`applySchedules`).
 *
 * @throws ValidationError (ValidationErrorList) for a bad file or, with `--strict`, a task no live worker serves
 */
export async function runApply(flags: ApplyFlags, context: CliContext): Promise<void> {
  const output = parseOutputFormat(flags.output);
  const entries = readScheduleFile(flags.file);
  const diff = await withClient(flags, context, (client) =>
    applySchedules(client, entries, {
      prune: flags.prune ?? false,
      dryRun: flags.dryRun ?? false,
      ...(flags.strict && { check: (planned: ScheduleDiff) => checkTasks(client, planned) }),
      onWarning: (message) => reportWarning(message, context),
    }),
  );
  context.stdout.write(render(output, { json: () => diffJson(diff), table: () => formatDiff(diff, flags.dryRun ?? false) }));
}

/** Adds `sundial apply`. */
export function registerApplyCommand(program: Command, context: CliContext): Command {
  const command = program
    .command('apply')
    .description('make the schedules match a file: {"schedules": [...]} in YAML or JSON')
    .requiredOption('-f, --file <file>', 'the schedule file, YAML or JSON')
    .option('--prune', 'remove schedules that are not in the file')
    .option('--dry-run', 'print what would change and change nothing')
    .option('--strict', 'refuse, changing nothing, when a schedule to add or change has a task no live worker serves');
  return addOutputFlag(command).action((_flags: unknown, self: Command) => runApply(self.optsWithGlobals<ApplyFlags>(), context));
}
