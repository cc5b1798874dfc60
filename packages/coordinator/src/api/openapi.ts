import { z } from 'zod';
import type { ApiRoute } from './api-route';
import { apiErrorSchema, apiSchemas } from './schemas';

/** The path of the OpenAPI document. */
export const OPENAPI_PATH = '/api/v1/openapi.json';

type JsonSchema = Record<string, unknown>;

const COMPONENTS = '#/components/schemas/';

/** A copy of `schema` without the keys OpenAPI takes from the document instead (the dialect, the id). */
function withoutKeys(schema: JsonSchema, keys: readonly string[]): JsonSchema {
  return Object.fromEntries(Object.entries(schema).filter(([key]) => !keys.includes(key)));
}

/** A schema as JSON Schema (draft 2020-12, the dialect of OpenAPI 3.1), referring to the named schemas by `$ref`. */
function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  const id = apiSchemas.get(schema)?.id;
  if (id !== undefined) return { $ref: `${COMPONENTS}${id}` };
  return withoutKeys(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', metadata: apiSchemas }) as JsonSchema, ['$schema']);
}

/** The path or query parameters of a strict object schema. */
function parametersOf(schema: z.ZodType, location: 'path' | 'query'): JsonSchema[] {
  if (!(schema instanceof z.ZodObject)) return [];
  return Object.entries(schema.shape as Record<string, z.ZodType>).map(([name, field]) => {
    const { description, ...fieldSchema } = jsonSchemaOf(field);
    return {
      name,
      in: location,
      required: location === 'path' || !field.safeParse(undefined).success,
      ...(description !== undefined && { description }),
      schema: fieldSchema,
      ...(name === 'label' && { style: 'form', explode: true }),
    };
  });
}

const json = (schema: z.ZodType | undefined, contentType = 'application/json') => (schema === undefined ? undefined : { [contentType]: { schema: jsonSchemaOf(schema) } });

const ERROR_RESPONSES = {
  400: 'Invalid input: the error names the field (e.g. "trigger.cron", "limit", or "body" for malformed JSON).',
  401: 'Missing or unknown bearer token.',
  403: 'The token lacks the scope, or no token is configured and the request is not from loopback.',
  404: 'No such schedule or run (the error carries kind and id).',
  409: 'The schedule id exists (onConflict "error").',
  413: 'The body is larger than 1 MiB.',
  415: 'The body is not application/json.',
  500: 'Internal error; details in the coordinator log only.',
  503: 'Redis is unreachable.',
} as const;

function operationOf(route: ApiRoute): JsonSchema {
  const responses: Record<string, JsonSchema> = {};
  for (const [status, response] of Object.entries(route.responses)) {
    const content = json(response.schema, response.contentType);
    responses[status] = { description: response.description, ...(content && { content }) };
  }
  for (const [status, description] of Object.entries(ERROR_RESPONSES)) {
    if (status === '409' && route.operationId !== 'addSchedule') continue;
    if ((status === '413' || status === '415') && route.body === undefined) continue;
    responses[status] = { description, content: json(apiErrorSchema) };
  }
  const body = json(route.body);
  return {
    operationId: route.operationId,
    summary: route.summary,
    ...(route.description !== undefined && { description: route.description }),
    tags: [route.path.split('/')[3] ?? 'api'],
    'x-sundial-scope': route.scope,
    security: [{ bearer: [] }],
    parameters: [...parametersOf(route.params, 'path'), ...parametersOf(route.query, 'query')],
    ...(body && { requestBody: { required: route.bodyRequired ?? false, content: body } }),
    responses,
  };
}

/**
 * The OpenAPI 3.1 document of the admin API, built from the routes and the very schemas that
 * validate their input.
 */
export function openApiDocument(routes: readonly ApiRoute[], version: string): JsonSchema {
  const { schemas } = z.toJSONSchema(apiSchemas, { io: 'input', unrepresentable: 'any', uri: (id: string) => `${COMPONENTS}${id}` });
  const components: Record<string, JsonSchema> = {};
  for (const [id, schema] of Object.entries(schemas)) {
    components[id] = withoutKeys(schema as JsonSchema, ['$schema', '$id']);
  }
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of routes) (paths[route.path] ??= {})[route.method.toLowerCase()] = operationOf(route);
  paths[OPENAPI_PATH] = {
    get: { operationId: 'openApiDocument', summary: 'This document', tags: ['api'], security: [], responses: { 200: { description: 'The OpenAPI 3.1 document.', content: { 'application/json': {} } } } },
  };
  return {
    openapi: '3.1.0',
    info: {
      title: 'Sundial admin API',
      version,
      description: 'Schedules, runs, the cluster and its events. Every coordinator serves it. Send "Authorization: Bearer <token>"; a read token answers GET routes, an admin token every route.',
    },
    servers: [{ url: '/' }],
    paths,
    components: { schemas: components, securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
  };
}
