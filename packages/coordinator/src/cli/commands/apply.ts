import { readFileSync } from 'node:fs';
import { ValidationError, type Schedule, type SundialOperations } from '@sundial/shared';
import type { Command } from 'commander';
import type { CliContext } from '../cli-context';
import type { ConnectionFlags } from '../connection';
import { diffJson, formatDiff } from '../diff-view';
import { addOutputFlag, parseOutputFormat, render } from '../output';
import { reportWarning } from '../report-error';
import { diffSchedules, type ScheduleDiff } from '../schedule-diff';
import { parseScheduleFile, validateScheduleEntries, type FileSchedule } from '../schedule-file';
import type { ScheduleChanges } from '../schedule-input';
import { ValidationErrorList } from '../validation-error-list';
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

const PAGE = 1_000;

/** Every schedule of the client's namespace. */
async function listAll(client: SundialOperations): Promise<Schedule[]> {
  const all: Schedule[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await client.list(cursor === undefined ? { limit: PAGE } : { limit: PAGE, cursor });
    all.push(...page.schedules);
    if (page.nextCursor === null) return all;
    cursor = page.nextCursor;
  }
}

/** The fields `update` sets so the stored definition becomes the entry's: all of them, unset optional ones included. */
function changesOf(entry: FileSchedule): ScheduleChanges {
  const changes: ScheduleChanges & { id?: string } = { ...entry.spec, retry: entry.spec.retry, timeout: entry.spec.timeout };
  delete changes.id;
  return changes;
}

/** With `--strict`, the error for every schedule to add or change whose task no live worker serves. */
async function checkTasks(client: SundialOperations, diff: ScheduleDiff): Promise<void> {
  const touched = [...diff.create, ...diff.update.filter((update) => update.specChanged).map((update) => update.entry)];
  if (touched.length === 0) return;
  const served = await servedTasks(client);
  const errors = touched.filter((entry) => !served.has(entry.spec.task)).map((entry) => unservedTaskError(`${entry.path}.task`, entry.spec.task));
  if (errors.length > 0) throw new ValidationErrorList(errors);
}

/** Makes the changes of a diff: adds, then updates (and pauses or resumes), then removes. */
async function applyDiff(client: SundialOperations, diff: ScheduleDiff, context: CliContext): Promise<void> {
  for (const entry of diff.create) {
    const result = await client.add({ ...entry.spec, paused: entry.paused ?? false }, { onConflict: 'error' });
    for (const warning of result.warnings) reportWarning(`${entry.spec.id}: ${warning}`, context);
  }
  for (const { entry, specChanged, fields } of diff.update) {
    if (specChanged) await client.update(entry.spec.id, changesOf(entry));
    if (fields.includes('paused')) {
      if (entry.paused) await client.pause(entry.spec.id);
      else await client.resume(entry.spec.id);
    }
  }
  for (const id of diff.remove) await client.remove(id);
}

/**
 * Reads and validates a schedule file: every bad entry is reported.
 *
 * @throws ValidationError naming `-f` when the file cannot be read; ValidationErrorList for bad entries
 */
export function readScheduleFile(file: string): FileSchedule[] {
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
 * `--dry-run`, what it would do). Applying the same file again changes nothing.
 *
 * @throws ValidationError (ValidationErrorList) for a bad file; ConflictError, NotFoundError when another change races it
 */
export async function runApply(flags: ApplyFlags, context: CliContext): Promise<void> {
  const output = parseOutputFormat(flags.output);
  const entries = readScheduleFile(flags.file);
  const diff = await withClient(flags, context, async (client) => {
    const planned = diffSchedules(entries, await listAll(client), flags.prune ?? false);
    if (flags.strict) await checkTasks(client, planned);
    if (!flags.dryRun) await applyDiff(client, planned, context);
    return planned;
  });
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
