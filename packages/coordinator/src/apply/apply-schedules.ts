import { NotFoundError, type Schedule, type ScheduleInput, type SundialOperations } from '@sundial/shared';
import { changedFields, diffSchedules, scheduleSpecOf, type ScheduleDiff, type ScheduleUpdate } from './schedule-diff';
import type { DesiredSchedule } from './schedule-entries';

/** Options of {@link applySchedules}; all optional. */
export interface ApplySchedulesOptions {
  /** Remove the stored schedules that are not in the list. @defaultValue false */
  prune?: boolean;
  /** Work out the diff and change nothing. @defaultValue false */
  dryRun?: boolean;
  /**
   * Called with the planned diff before anything changes (also on a dry run); what it throws
   * `applySchedules` throws, having changed nothing. `sundial apply --strict` checks tasks here.
   */
  check?: (diff: ScheduleDiff) => void | Promise<void>;
  /** Told what is worth telling the user, e.g. that no live worker serves a new schedule's task yet. */
  onWarning?: (message: string) => void;
}

const PAGE = 1_000;

/** Every schedule of the client's namespace, a page at a time. */
export async function listAllSchedules(client: SundialOperations): Promise<Schedule[]> {
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
function changesOf(entry: DesiredSchedule): Partial<Omit<ScheduleInput, 'id' | 'paused'>> {
  const changes: Partial<ScheduleInput> = { ...entry.spec, retry: entry.spec.retry, timeout: entry.spec.timeout };
  delete changes.id;
  return changes;
}

async function setPaused(client: SundialOperations, id: string, paused: boolean): Promise<void> {
  if (paused) await client.pause(id);
  else await client.resume(id);
}

/** Makes a stored schedule match an entry: its definition, then its paused state when the entry sets one. */
async function converge(client: SundialOperations, entry: DesiredSchedule, stored: Schedule): Promise<void> {
  if (changedFields(entry.spec, scheduleSpecOf(stored)).length > 0) await client.update(entry.spec.id, changesOf(entry));
  if (entry.paused !== undefined && entry.paused !== stored.state.paused) await setPaused(client, entry.spec.id, entry.paused);
}

async function create(client: SundialOperations, entry: DesiredSchedule, onWarning: (message: string) => void): Promise<void> {
  // `keep`, not `error`: another process applying the same list may have added it since the diff.
  const result = await client.add({ ...entry.spec, paused: entry.paused ?? false }, { onConflict: 'keep' });
  if (result.outcome === 'created') {
    for (const warning of result.warnings) onWarning(`${entry.spec.id}: ${warning}`);
    return;
  }
  await converge(client, entry, result.schedule);
}

async function change(client: SundialOperations, { entry, specChanged, fields }: ScheduleUpdate, onWarning: (message: string) => void): Promise<void> {
  try {
    if (specChanged) await client.update(entry.spec.id, changesOf(entry));
    if (entry.paused !== undefined && fields.includes('paused')) await setPaused(client, entry.spec.id, entry.paused);
  } catch (error) {
    // Removed by someone else since the diff: the list says it exists.
    if (!(error instanceof NotFoundError)) throw error;
    await create(client, entry, onWarning);
  }
}

/**
 * Makes the changes of a diff: adds, then updates (and pauses or resumes), then removes. It
 * converges when other processes apply the same list at the same time (several copies of an
 * app starting at once): a schedule another one added meanwhile is kept and made to match, an
 * update or pause of a schedule already changed that way changes nothing more, and a schedule
 * already removed is not an error. Each change is one atomic step in Redis, and run ids are
 * deterministic, so no fire time runs twice whichever process gets there first.
 */
export async function applyScheduleDiff(client: SundialOperations, diff: ScheduleDiff, options: Pick<ApplySchedulesOptions, 'onWarning'> = {}): Promise<void> {
  const onWarning = options.onWarning ?? (() => undefined);
  for (const entry of diff.create) await create(client, entry, onWarning);
  for (const update of diff.update) await change(client, update, onWarning);
  for (const id of diff.remove) {
    await client.remove(id).catch((error: unknown) => {
      if (!(error instanceof NotFoundError)) throw error;
    });
  }
}

/**
 * Makes the schedules of the client's namespace match a declared list, as `sundial apply`
 * does: adds the schedules that are missing, updates those whose definition differs, pauses or
 * resumes those whose entry sets a different `paused`, and with `prune` removes those not in the
 * list. Applying the same list again changes nothing, and several processes applying it at once
 * converge (see {@link applyScheduleDiff}). Returns the diff it planned.
 *
 * @param entries - validated entries, from `validateScheduleEntries`
 * @throws what `check` throws, having changed nothing; the client's errors (e.g. Redis unreachable)
 */
export async function applySchedules(client: SundialOperations, entries: readonly DesiredSchedule[], options: ApplySchedulesOptions = {}): Promise<ScheduleDiff> {
  const diff = diffSchedules(entries, await listAllSchedules(client), options.prune ?? false);
  await options.check?.(diff);
  if (!options.dryRun) await applyScheduleDiff(client, diff, options);
  return diff;
}
