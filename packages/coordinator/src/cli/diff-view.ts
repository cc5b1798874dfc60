import type { ScheduleDiff } from '../apply/schedule-diff';

/** A schedule diff as JSON and YAML print it. */
export interface ScheduleDiffJson {
  /** Ids of the schedules added. */
  readonly created: readonly string[];
  /** The schedules changed, each with the fields that differed (`paused` for a pause or resume). */
  readonly updated: readonly { readonly id: string; readonly fields: readonly string[] }[];
  /** Ids of the schedules that already matched the file. */
  readonly unchanged: readonly string[];
  /** Ids of the schedules removed (`--prune`). */
  readonly removed: readonly string[];
}

/** The JSON form of a diff: ids created, updated (with the fields that changed), unchanged and removed. */
export function diffJson(diff: ScheduleDiff): ScheduleDiffJson {
  return {
    created: diff.create.map((entry) => entry.spec.id),
    updated: diff.update.map(({ entry, fields }) => ({ id: entry.spec.id, fields })),
    unchanged: diff.unchanged,
    removed: diff.remove,
  };
}

/**
 * A diff for people: `+ id` created, `~ id (fields)` updated, `- id` removed, `= id` unchanged,
 * then a line of counts, e.g.
 *
 * ```text
 * + nightly-report
 * ~ hourly-sync (trigger, queue)
 * = cleanup
 * 1 created, 1 updated, 1 unchanged, 0 removed
 * ```
 */
export function formatDiff(diff: ScheduleDiff, dryRun: boolean): string {
  const lines = [
    ...diff.create.map((entry) => `+ ${entry.spec.id}`),
    ...diff.update.map(({ entry, fields }) => `~ ${entry.spec.id} (${fields.join(', ')})`),
    ...diff.remove.map((id) => `- ${id}`),
    ...diff.unchanged.map((id) => `= ${id}`),
  ];
  let summary = `${diff.create.length} created, ${diff.update.length} updated, ${diff.unchanged.length} unchanged, ${diff.remove.length} removed`;
  if (diff.extra.length > 0) summary += `; ${diff.extra.length} not in the file kept (--prune removes them)`;
  if (dryRun) summary += ' (dry run: nothing changed)';
  return [...lines, summary].map((line) => `${line}\n`).join('');
}
