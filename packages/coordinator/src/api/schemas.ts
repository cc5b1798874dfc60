import { SUNDIAL_EVENT_TYPES, ValidationError, scheduleInputShape } from '@sundial/shared';
import { z } from 'zod';

/**
 * The named schemas of the admin API: every request it validates and every answer it gives.
 * The OpenAPI document lists them under `components.schemas` by these ids.
 */
export const apiSchemas = z.registry<{ id: string; description?: string }>();

// ---------------------------------------------------------------- building blocks

const isoDateTime = z.iso.datetime({ offset: true, error: 'expected an ISO-8601 date-time such as "2027-01-01T09:00:00Z"' });
const wholeNumber = (min: number, max: number) => z.number().int().min(min).max(max);
/** A whole number in a query string (text), checked from `min` to `max`. */
const queryNumber = (min: number, max: number) => z.coerce.number({ error: `expected a whole number from ${min} to ${max}` }).int().min(min).max(max);

/** A trigger in Sundial's JSON form; its details are checked by the trigger engine, which names the field (`trigger.cron`). */
export const triggerSchema = z
  .record(z.string(), z.unknown())
  .meta({
    description:
      'A trigger in Sundial\'s JSON form: {"cron": "0 9 * * MON-FRI", "timezone": "Europe/Berlin"}, {"every": "15m"}, {"at": "2027-01-01T09:00:00Z"}, ' +
      '{"calendar": {"months": 1, "time": "09:30"}}, {"and": [...]} or {"or": [...]}; any may add "start", "end" (ISO-8601), "timezone" and "jitter".',
    examples: [{ cron: '0 9 * * MON-FRI', timezone: 'Europe/Berlin' }, { every: '15m' }],
  })
  .register(apiSchemas, { id: 'Trigger' });

/** The body of `POST /api/v1/schedules`: the schedule input the client validates, so both give the same errors. */
export const scheduleInputSchema = scheduleInputShape
  .extend({ trigger: triggerSchema })
  .meta({ description: 'A schedule: id, task and trigger, plus optional data, queue, policies, retry, timeout, labels and paused. Durations are milliseconds or text such as "90s", "15m".' })
  .register(apiSchemas, { id: 'ScheduleInput' });

/** The body of `PUT /api/v1/schedules/{id}`: the fields given replace the current ones. */
export const scheduleChangesSchema = scheduleInputSchema.omit({ id: true, paused: true }).partial().register(apiSchemas, { id: 'ScheduleChanges' });

/** The body of `POST /api/v1/schedules/{id}/pause`: nothing, or `{}`. */
export const pauseBodySchema = z.strictObject({}).optional().register(apiSchemas, { id: 'PauseRequest' });

/** The body of `POST /api/v1/schedules/{id}/resume`. */
export const resumeBodySchema = z
  .strictObject({ catchUp: z.enum(['none', 'policy']).optional().meta({ description: '"none" (default): continue from now; "policy": the fire times missed while paused are due at once.' }) })
  .optional()
  .register(apiSchemas, { id: 'ResumeRequest' });

/** The body of `POST /api/v1/schedules/{id}/trigger`. */
export const triggerBodySchema = z
  .strictObject({ force: z.boolean().optional().meta({ description: 'Run even when the overlap policy would skip it.' }) })
  .optional()
  .register(apiSchemas, { id: 'TriggerRequest' });

/** The body of `POST /api/v1/schedules/{id}/backfill`. */
export const backfillBodySchema = z
  .strictObject({
    from: isoDateTime,
    to: isoDateTime,
    force: z.boolean().optional(),
    limit: wholeNumber(1, 10_000).optional().meta({ description: 'The most runs to create; a range with more fire times is refused. Default 1000.' }),
  })
  .register(apiSchemas, { id: 'BackfillRequest' });

// ---------------------------------------------------------------- query strings and path parameters

/** `GET /api/v1/schedules` query. */
export const listSchedulesQuerySchema = z.strictObject({
  task: z.string().optional(),
  queue: z.string().optional(),
  state: z.enum(['active', 'paused', 'finished']).optional(),
  label: z.union([z.string(), z.array(z.string())]).optional().meta({ description: 'key=value; repeat for several labels, all must match.' }),
  limit: queryNumber(1, 1_000).optional().meta({ description: 'Default 100.' }),
  cursor: z.string().optional().meta({ description: 'The nextCursor of the previous page.' }),
});

/** `POST /api/v1/schedules` query. */
export const addScheduleQuerySchema = z.strictObject({
  onConflict: z.enum(['error', 'replace', 'keep']).optional().meta({ description: 'When the id exists: "error" (default, 409), "replace" or "keep".' }),
});

/** Run statuses, as filters. */
const RUN_STATUSES = ['enqueued', 'running', 'succeeded', 'failed', 'missed', 'skipped', 'paused', 'cancelled'] as const;

/** `GET /api/v1/runs` query. */
export const listRunsQuerySchema = z.strictObject({
  scheduleId: z.string().optional(),
  status: z.enum(RUN_STATUSES).optional(),
  task: z.string().optional(),
  limit: queryNumber(1, 1_000).optional().meta({ description: 'Default 50.' }),
  before: isoDateTime.optional().meta({ description: 'Only runs with a fire time before this, to page back.' }),
});

const eventTypesParameter = z.string().optional().meta({ description: `Comma-separated event types (default: all): ${SUNDIAL_EVENT_TYPES.join(', ')}.` });

/** `GET /api/v1/events` query. */
export const eventsQuerySchema = z.strictObject({
  types: eventTypesParameter,
  from: z.string().optional().meta({ description: '"now" (default), "start", or an event id to resume after. A Last-Event-ID header overrides it.' }),
  access_token: z
    .string()
    .optional()
    .meta({ description: 'The bearer token, for clients that cannot send headers (a browser\'s EventSource); the Authorization header wins when both are sent. Only this route takes it.' }),
});

/** `GET /api/v1/schedules/{id}/next` query. */
export const nextFireTimesQuerySchema = z.strictObject({
  count: queryNumber(1, 100).optional().meta({ description: 'How many fire times. Default 10.' }),
});

/** `GET /api/v1/events/recent` query. */
export const recentEventsQuerySchema = z.strictObject({
  types: eventTypesParameter,
  limit: queryNumber(1, 1_000).optional().meta({ description: 'Default 100.' }),
});

/** No query or path parameters. */
export const noParametersSchema = z.strictObject({});

/** `{id}` path parameter. */
export const scheduleIdParamsSchema = z.strictObject({ id: z.string().meta({ description: 'The schedule id.' }) });

/** `{runId}` path parameter (run ids contain `@`; URL-encode it). */
export const runIdParamsSchema = z.strictObject({ runId: z.string().meta({ description: 'The run id, URL-encoded (it contains "@").' }) });

// ---------------------------------------------------------------- answers

/** An error answer. */
export const apiErrorSchema = z
  .object({
    error: z.object({
      code: z.string().meta({ description: 'INVALID_INPUT, INVALID_TRIGGER, UNAUTHORIZED, FORBIDDEN, NOT_FOUND, CONFLICT, PAYLOAD_TOO_LARGE, UNSUPPORTED_MEDIA_TYPE, INTERNAL or UNAVAILABLE' }),
      message: z.string(),
      field: z.string().optional().meta({ description: 'The offending field (400), e.g. "trigger.cron", "limit" or "body".' }),
      problem: z.string().optional(),
      kind: z.enum(['schedule', 'run']).optional(),
      id: z.string().optional(),
    }),
  })
  .register(apiSchemas, { id: 'Error' });

const isoOrNull = z.string().nullable();

/** A schedule: its definition with the defaults applied, and its state. */
export const scheduleSchema = z
  .object({
    id: z.string(),
    task: z.string(),
    trigger: triggerSchema,
    data: z.unknown(),
    queue: z.string(),
    misfireGrace: z.number().nullable().meta({ description: 'ms; null: no limit' }),
    coalesce: z.enum(['latest', 'earliest', 'all']),
    catchUpLimit: z.number(),
    overlap: z.enum(['skip', 'allow', 'buffer-one', 'cancel-previous']),
    maxInstances: z.number(),
    priority: z.number(),
    retry: z.object({ attempts: z.number(), backoff: z.enum(['fixed', 'exponential']).optional(), delay: z.number().optional() }).optional(),
    timeout: z.number().optional().meta({ description: 'ms' }),
    labels: z.record(z.string(), z.string()),
    state: z.object({
      paused: z.boolean(),
      pausedAt: isoOrNull,
      nextFireTime: isoOrNull,
      nextFireAt: isoOrNull,
      lastFireTime: isoOrNull,
      enqueued: z.number(),
      missed: z.number(),
      skipped: z.number(),
      pausedFires: z.number(),
      version: z.number(),
      createdAt: z.string(),
      updatedAt: z.string(),
    }),
  })
  .register(apiSchemas, { id: 'Schedule' });

/** `GET /api/v1/schedules` answer. */
export const scheduleListSchema = z.object({ schedules: z.array(scheduleSchema), nextCursor: z.string().nullable() }).register(apiSchemas, { id: 'ScheduleList' });

/** `POST /api/v1/schedules` answer. */
export const addResultSchema = z
  .object({ schedule: scheduleSchema, outcome: z.enum(['created', 'replaced', 'kept']), warnings: z.array(z.string()) })
  .register(apiSchemas, { id: 'AddResult' });

/** `POST .../trigger` answer. */
export const triggerResultSchema = z.object({ runId: z.string() }).register(apiSchemas, { id: 'TriggerResult' });

/** `POST .../backfill` answer. */
export const backfillResultSchema = z.object({ runIds: z.array(z.string()) }).register(apiSchemas, { id: 'BackfillResult' });

/** `GET /api/v1/schedules/{id}/next` answer. */
export const nextFireTimesSchema = z
  .object({
    fireTimes: z.array(
      z.object({
        fireTime: z.string().meta({ description: 'The nominal fire time, ISO-8601.' }),
        fireAt: z.string().meta({ description: 'When it fires: the nominal time plus the schedule\'s jitter, ISO-8601.' }),
      }),
    ),
  })
  .meta({ description: 'The next fire times after now, in order; fewer than asked when the trigger ends, none for a finished schedule.' })
  .register(apiSchemas, { id: 'NextFireTimes' });

/** A run, or a range of fire times recorded together (`count` > 1). */
export const runSchema = z
  .object({
    runId: z.string(),
    scheduleId: z.string(),
    kind: z.enum(['scheduled', 'manual', 'backfill']),
    queue: z.string(),
    fireTime: z.string(),
    fireAt: z.string(),
    status: z.enum(RUN_STATUSES),
    reason: z.string().nullable(),
    count: z.number(),
    lastFireTime: z.string(),
    attempts: z.number(),
    epoch: z.number().nullable(),
    error: z.string().nullable(),
    result: z.unknown(),
    worker: z.string().nullable(),
    durationMs: z.number().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .register(apiSchemas, { id: 'Run' });

/** `GET /api/v1/runs` answer. */
export const runListSchema = z.object({ runs: z.array(runSchema) }).register(apiSchemas, { id: 'RunList' });

/** `GET /api/v1/status` answer. */
export const clusterStatusSchema = z
  .looseObject({
    namespace: z.string(),
    epoch: z.number(),
    coordinators: z.array(
      z.looseObject({ id: z.string(), host: z.string(), pid: z.number(), version: z.string(), startedAt: z.string(), leader: z.boolean(), epoch: z.number().nullable(), clockSkewMs: z.number() }),
    ),
    workers: z.array(z.looseObject({ id: z.string(), host: z.string(), pid: z.number(), version: z.string(), queues: z.array(z.string()), tasks: z.array(z.string()), concurrency: z.number(), inFlight: z.number() })),
    schedules: z.number(),
    activeSchedules: z.number(),
    outbox: z.number(),
    pendingRequests: z.number(),
    queues: z.array(z.looseObject({ name: z.string() }).catchall(z.number()).meta({ description: 'A queue by name, with its job count per BullMQ state (waiting, active, delayed, ...).' })),
  })
  .register(apiSchemas, { id: 'ClusterStatus' });

/** One event of the stream. */
export const eventSchema = z
  .object({
    id: z.string().optional(),
    type: z.enum(SUNDIAL_EVENT_TYPES),
    time: z.string(),
    scheduleId: z.string().optional(),
    runId: z.string().optional(),
    fireTime: z.string().optional(),
    status: z.string().optional(),
    reason: z.string().optional(),
    count: z.number().optional(),
    attempt: z.number().optional(),
    task: z.string().optional(),
    error: z.string().optional(),
    worker: z.string().optional(),
    coordinator: z.string().optional(),
    epoch: z.number().optional(),
  })
  .register(apiSchemas, { id: 'Event' });

/** `GET /api/v1/events/recent` answer. */
export const eventListSchema = z.object({ events: z.array(eventSchema) }).register(apiSchemas, { id: 'EventList' });

// ---------------------------------------------------------------- validation

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}...` : value);
  return typeof value === 'object' ? 'an object' : String(value);
}

function expectation(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.expected === 'object' ? 'expected a JSON object' : issue.expected === 'int' ? 'expected a whole number' : `expected ${issue.expected === 'array' ? 'an array' : `a ${issue.expected}`}`;
    case 'invalid_value':
      return `expected ${issue.values.map((value) => JSON.stringify(value)).join(' or ')}`;
    case 'too_small':
      return `expected at least ${String(issue.minimum)}`;
    case 'too_big':
      return `expected at most ${String(issue.maximum)}`;
    case 'invalid_union':
      return issue.message === 'Invalid input' ? 'has the wrong type' : issue.message;
    default:
      return issue.message;
  }
}

/**
 * Validates a body, query string or path parameters, turning the first problem into a
 * `ValidationError` that names the field (`retry.attempts`, `limit`; `body` for the body as a
 * whole) and says what was expected and what was received.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, wholeName: string): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (!issue) throw new ValidationError(wholeName, 'is invalid');
  const path = issue.path.map((key) => (typeof key === 'number' ? `[${key}]` : String(key)));
  const field = path.reduce((joined, key) => (key.startsWith('[') || joined === '' ? `${joined}${key}` : `${joined}.${key}`), '');
  if (issue.code === 'unrecognized_keys') {
    const [first = ''] = issue.keys;
    throw new ValidationError(field ? `${field}.${first}` : first, `unknown field${issue.keys.length > 1 ? ` (also ${issue.keys.slice(1).join(', ')})` : ''}`);
  }
  let received: unknown = input;
  for (const key of issue.path) received = received !== null && typeof received === 'object' ? (received as Record<PropertyKey, unknown>)[key] : undefined;
  // A custom message (set with `error:`) says what was expected already.
  const expected = issue.message.startsWith('expected ') ? issue.message : expectation(issue);
  throw new ValidationError(field || wholeName, `${expected}, got ${describe(received)}`);
}
