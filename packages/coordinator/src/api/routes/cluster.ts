import { defineRoute, type ApiRoute } from '../api-route';
import { clusterStatusSchema, noParametersSchema } from '../schemas';

/** The cluster route: status. */
export const clusterRoutes: readonly ApiRoute[] = [
  defineRoute({
    method: 'GET',
    path: '/api/v1/status',
    operationId: 'status',
    summary: 'The namespace\'s coordinators (the leader marked), live workers and counts',
    scope: 'read',
    params: noParametersSchema,
    query: noParametersSchema,
    responses: { 200: { description: 'The cluster status.', schema: clusterStatusSchema } },
    handle: async ({ operations }) => ({ status: 200, body: await operations.status() }),
  }),
];
