import type { ListRunsOptions } from '@sundial/shared';
import { defineRoute, type ApiRoute } from '../api-route';
import { listRunsQuerySchema, noParametersSchema, runIdParamsSchema, runListSchema, runSchema } from '../schemas';

const RUN = { description: 'The run.', schema: runSchema };

/** The run routes: list, get, retry, cancel. */
export const runRoutes: readonly ApiRoute[] = [
  defineRoute({
    method: 'GET',
    path: '/api/v1/runs',
    operationId: 'listRuns',
    summary: 'List runs, newest first',
    scope: 'read',
    params: noParametersSchema,
    query: listRunsQuerySchema,
    responses: { 200: { description: 'The runs.', schema: runListSchema } },
    handle: async ({ operations, query }) => {
      const { before, ...filters } = query;
      const options: ListRunsOptions = { ...filters };
      if (before !== undefined) options.before = new Date(before);
      return { status: 200, body: { runs: await operations.listRuns(options) } };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/api/v1/runs/{runId}',
    operationId: 'getRun',
    summary: 'Get a run',
    scope: 'read',
    params: runIdParamsSchema,
    query: noParametersSchema,
    responses: { 200: RUN },
    handle: async ({ operations, params }) => ({ status: 200, body: await operations.getRun(params.runId) }),
  }),
  defineRoute({
    method: 'POST',
    path: '/api/v1/runs/{runId}/retry',
    operationId: 'retryRun',
    summary: 'Run a failed run again, with its retry policy\'s full budget of attempts',
    scope: 'admin',
    params: runIdParamsSchema,
    query: noParametersSchema,
    responses: { 200: RUN },
    handle: async ({ operations, params }) => ({ status: 200, body: await operations.retryRun(params.runId) }),
  }),
  defineRoute({
    method: 'POST',
    path: '/api/v1/runs/{runId}/cancel',
    operationId: 'cancelRun',
    summary: 'Cancel a run that has not finished (a waiting run is removed, a running one told to abort)',
    scope: 'admin',
    params: runIdParamsSchema,
    query: noParametersSchema,
    responses: { 200: RUN },
    handle: async ({ operations, params }) => ({ status: 200, body: await operations.cancelRun(params.runId) }),
  }),
];
