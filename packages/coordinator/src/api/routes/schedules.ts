import { ValidationError, compileTriggerCached, type ListSchedulesOptions } from '@sundial/shared';
import { defineRoute, type ApiRoute } from '../api-route';
import {
  addResultSchema,
  addScheduleQuerySchema,
  backfillBodySchema,
  backfillResultSchema,
  listSchedulesQuerySchema,
  nextFireTimesQuerySchema,
  nextFireTimesSchema,
  noParametersSchema,
  pauseBodySchema,
  resumeBodySchema,
  scheduleChangesSchema,
  scheduleIdParamsSchema,
  scheduleInputSchema,
  scheduleListSchema,
  scheduleSchema,
  triggerBodySchema,
  triggerResultSchema,
} from '../schemas';

/** `label=k=v` query values as a labels filter. @throws ValidationError naming `label` */
function labelsOf(label: string | string[] | undefined): Record<string, string> | undefined {
  if (label === undefined) return undefined;
  const labels: Record<string, string> = {};
  for (const pair of Array.isArray(label) ? label : [label]) {
    const at = pair.indexOf('=');
    if (at < 1) throw new ValidationError('label', `expected key=value, got ${JSON.stringify(pair)}`);
    labels[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return labels;
}

const SCHEDULE = { description: 'The schedule.', schema: scheduleSchema };

/** The schedule routes: list, add, get, update, remove, pause, resume, trigger, backfill. */
export const scheduleRoutes: readonly ApiRoute[] = [
  defineRoute({
    method: 'GET',
    path: '/api/v1/schedules',
    operationId: 'listSchedules',
    summary: 'List schedules, filtered, a page at a time',
    scope: 'read',
    params: noParametersSchema,
    query: listSchedulesQuerySchema,
    responses: { 200: { description: 'A page of schedules; pass nextCursor as cursor for the next.', schema: scheduleListSchema } },
    handle: async ({ operations, query }) => {
      const { label, ...filters } = query;
      const options: ListSchedulesOptions = { ...filters };
      const labels = labelsOf(label);
      if (labels) options.labels = labels;
      return { status: 200, body: await operations.list(options) };
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/api/v1/schedules',
    operationId: 'addSchedule',
    summary: 'Add a schedule',
    description: 'Answers 201 when created, 200 when replaced or kept (onConflict), 409 when the id exists and onConflict is "error".',
    scope: 'admin',
    params: noParametersSchema,
    query: addScheduleQuerySchema,
    body: scheduleInputSchema,
    bodyRequired: true,
    responses: { 201: { description: 'Created.', schema: addResultSchema }, 200: { description: 'Replaced or kept.', schema: addResultSchema } },
    handle: async ({ operations, query, body }) => {
      const result = await operations.add(body, { onConflict: query.onConflict ?? 'error' });
      return { status: result.outcome === 'created' ? 201 : 200, body: result };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/api/v1/schedules/{id}',
    operationId: 'getSchedule',
    summary: 'Get a schedule with its state',
    scope: 'read',
    params: scheduleIdParamsSchema,
    query: noParametersSchema,
    responses: { 200: SCHEDULE },
    handle: async ({ operations, params }) => ({ status: 200, body: await operations.get(params.id) }),
  }),
  defineRoute({
    method: 'GET',
    path: '/api/v1/schedules/{id}/next',
    operationId: 'nextFireTimes',
    summary: 'The next fire times of a schedule, after now',
    description: 'Computed from the schedule\'s trigger with its jitter (seeded by the id); none once the schedule is finished. A paused schedule shows the times it would fire at once resumed.',
    scope: 'read',
    params: scheduleIdParamsSchema,
    query: nextFireTimesQuerySchema,
    responses: { 200: { description: 'The fire times, in order.', schema: nextFireTimesSchema } },
    handle: async ({ operations, params, query }) => {
      const schedule = await operations.get(params.id);
      if (schedule.state.nextFireTime === null) return { status: 200, body: { fireTimes: [] } };
      const fires = compileTriggerCached(schedule.trigger).take(Date.now(), query.count ?? 10, { seed: schedule.id });
      return { status: 200, body: { fireTimes: fires.map((fire) => ({ fireTime: new Date(fire.nominalMs).toISOString(), fireAt: new Date(fire.fireAtMs).toISOString() })) } };
    },
  }),
  defineRoute({
    method: 'PUT',
    path: '/api/v1/schedules/{id}',
    operationId: 'updateSchedule',
    summary: 'Change a schedule: the fields given replace the current ones',
    description: 'A changed trigger takes effect from now; the old trigger\'s fire times still due are recorded as skipped (trigger-changed). The id and the paused state are not changed here.',
    scope: 'admin',
    params: scheduleIdParamsSchema,
    query: noParametersSchema,
    body: scheduleChangesSchema,
    bodyRequired: true,
    responses: { 200: SCHEDULE },
    handle: async ({ operations, params, body }) => ({ status: 200, body: await operations.update(params.id, body ?? {}) }),
  }),
  defineRoute({
    method: 'DELETE',
    path: '/api/v1/schedules/{id}',
    operationId: 'removeSchedule',
    summary: 'Remove a schedule, its state and its run history (runs already enqueued finish)',
    scope: 'admin',
    params: scheduleIdParamsSchema,
    query: noParametersSchema,
    responses: { 204: { description: 'Removed.' } },
    handle: async ({ operations, params }) => {
      await operations.remove(params.id);
      return { status: 204 };
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/api/v1/schedules/{id}/pause',
    operationId: 'pauseSchedule',
    summary: 'Pause a schedule (pausing a paused schedule does nothing)',
    scope: 'admin',
    params: scheduleIdParamsSchema,
    query: noParametersSchema,
    body: pauseBodySchema,
    responses: { 200: SCHEDULE },
    handle: async ({ operations, params }) => ({ status: 200, body: await operations.pause(params.id) }),
  }),
  defineRoute({
    method: 'POST',
    path: '/api/v1/schedules/{id}/resume',
    operationId: 'resumeSchedule',
    summary: 'Resume a paused schedule, from now or catching up by its policies',
    scope: 'admin',
    params: scheduleIdParamsSchema,
    query: noParametersSchema,
    body: resumeBodySchema,
    responses: { 200: SCHEDULE },
    handle: async ({ operations, params, body }) => ({ status: 200, body: await operations.resume(params.id, { catchUp: body?.catchUp ?? 'none' }) }),
  }),
  defineRoute({
    method: 'POST',
    path: '/api/v1/schedules/{id}/trigger',
    operationId: 'triggerSchedule',
    summary: 'Run a schedule now, even while it is paused',
    scope: 'admin',
    params: scheduleIdParamsSchema,
    query: noParametersSchema,
    body: triggerBodySchema,
    responses: { 202: { description: 'The leader enqueues the run.', schema: triggerResultSchema } },
    handle: async ({ operations, params, body }) => ({ status: 202, body: await operations.trigger(params.id, { force: body?.force ?? false }) }),
  }),
  defineRoute({
    method: 'POST',
    path: '/api/v1/schedules/{id}/backfill',
    operationId: 'backfillSchedule',
    summary: 'Run the fire times of a time range (inclusive) now',
    description: 'Each fire time gets its own run id (<id>@backfill-<ms>), so backfilling a range twice runs it once.',
    scope: 'admin',
    params: scheduleIdParamsSchema,
    query: noParametersSchema,
    body: backfillBodySchema,
    bodyRequired: true,
    responses: { 202: { description: 'The leader enqueues the runs.', schema: backfillResultSchema } },
    handle: async ({ operations, params, body }) => {
      const range: { from: Date; to: Date; force?: boolean; limit?: number } = { from: new Date(body.from), to: new Date(body.to) };
      if (body.force !== undefined) range.force = body.force;
      if (body.limit !== undefined) range.limit = body.limit;
      return { status: 202, body: await operations.backfill(params.id, range) };
    },
  }),
];
