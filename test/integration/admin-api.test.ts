import { startCoordinator, type Coordinator } from '@sundial/coordinator';
import { connectRedis, type SundialEvent } from '@sundial/shared';
import { startWorker, type SundialWorker } from '@sundial/worker';
import type { Redis } from 'ioredis';
import { networkInterfaces } from 'node:os';
import pino from 'pino';
import { waitFor } from '../helpers/worker-fixture';
import { deleteNamespace, testRedisUrl, uniqueNamespace } from '../support/namespace';

// The admin API of a real coordinator on a real Redis: routes, validation, errors, auth, events.

jest.setTimeout(30_000);

const ADMIN_TOKEN = 'admin-6f1e2d3c4b5a69788796a5b4c3d2e1f0';
const READ_TOKEN = 'read-0f1e2d3c4b5a69788796a5b4c3d2e1f9';

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

interface CallOptions {
  token?: string;
  body?: unknown;
  /** Sent as is, with `contentType`. */
  raw?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

/** A coordinator serving the API, with the log lines it wrote. */
interface Server {
  coordinator: Coordinator;
  namespace: string;
  logs: string[];
  call(method: string, path: string, options?: CallOptions): Promise<Answer>;
}

const started: Coordinator[] = [];
const namespaces: string[] = [];
let admin: Redis;

async function startServer(tokens?: { scope: 'read' | 'admin'; token: string }[]): Promise<Server> {
  const namespace = uniqueNamespace('api');
  namespaces.push(namespace);
  const logs: string[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void logs.push(line) });
  const coordinator = await startCoordinator({ connection: testRedisUrl(), namespace, port: 0, maxSleepMs: 200, api: { tokens: tokens ?? [] } }, logger);
  started.push(coordinator);
  const call = async (method: string, path: string, options: CallOptions = {}): Promise<Answer> => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined;
    if (options.raw !== undefined) body = options.raw;
    else if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
    const response = await fetch(`http://127.0.0.1:${coordinator.httpPort as number}${path}`, { method, headers, body });
    const text = await response.text();
    let json: unknown;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: response.status, headers: response.headers, text, json };
  };
  return { coordinator, namespace, logs, call };
}

/** An address of this host that is not loopback: requests to it arrive from it, so the server sees a non-loopback client. */
function nonLoopbackAddress(): string {
  const addresses = Object.values(networkInterfaces()).flatMap((entries) => entries ?? []);
  const address = addresses.find((entry) => !entry.internal && entry.family === 'IPv4') ?? addresses.find((entry) => !entry.internal && !entry.address.startsWith('fe80'));
  if (!address) throw new Error('this test needs a network interface with a non-loopback address');
  return address.address;
}

const schedule = (id: string, extra: Record<string, unknown> = {}) => ({ id, task: 'report', trigger: { cron: '0 9 * * *', timezone: 'Europe/Berlin' }, labels: { team: 'ops' }, ...extra });

beforeAll(async () => {
  admin = await connectRedis(testRedisUrl(), { connectionName: 'sundial:test-admin' });
});

afterAll(async () => {
  await Promise.all(started.map((coordinator) => coordinator.stop()));
  for (const namespace of namespaces) await deleteNamespace(admin, namespace);
  await admin.quit();
});

describe('admin API with tokens', () => {
  let server: Server;
  const call = (method: string, path: string, options: CallOptions = {}) => server.call(method, path, { token: ADMIN_TOKEN, ...options });

  beforeAll(async () => {
    server = await startServer([
      { scope: 'admin', token: ADMIN_TOKEN },
      { scope: 'read', token: READ_TOKEN },
    ]);
  });

  it('serves the probes and the OpenAPI document to everyone', async () => {
    expect((await server.call('GET', '/healthz')).status).toBe(200);
    expect((await server.call('GET', '/readyz')).status).toBe(200);
    const metrics = await server.call('GET', '/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.text).toContain('sundial_leader');
    const openapi = await server.call('GET', '/api/v1/openapi.json');
    expect(openapi.status).toBe(200);
    expect(openapi.json.openapi).toBe('3.1.0');
    const contract: [string, string][] = [
      ['/api/v1/schedules', 'get'],
      ['/api/v1/schedules', 'post'],
      ['/api/v1/schedules/{id}', 'get'],
      ['/api/v1/schedules/{id}', 'put'],
      ['/api/v1/schedules/{id}', 'delete'],
      ['/api/v1/schedules/{id}/pause', 'post'],
      ['/api/v1/schedules/{id}/resume', 'post'],
      ['/api/v1/schedules/{id}/trigger', 'post'],
      ['/api/v1/schedules/{id}/backfill', 'post'],
      ['/api/v1/runs', 'get'],
      ['/api/v1/runs/{runId}', 'get'],
      ['/api/v1/runs/{runId}/retry', 'post'],
      ['/api/v1/runs/{runId}/cancel', 'post'],
      ['/api/v1/status', 'get'],
      ['/api/v1/events', 'get'],
      ['/api/v1/events/recent', 'get'],
      ['/api/v1/openapi.json', 'get'],
    ];
    for (const [path, method] of contract) expect(openapi.json.paths[path]?.[method]).toBeDefined();
    expect(openapi.json.paths['/api/v1/schedules'].post.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/ScheduleInput' });
    expect(openapi.json.components.schemas.ScheduleInput.additionalProperties).toBe(false);
    expect(openapi.json.components.schemas.ScheduleInput.required).toEqual(expect.arrayContaining(['id', 'task', 'trigger']));
    const limit = openapi.json.paths['/api/v1/runs'].get.parameters.find((parameter: { name: string }) => parameter.name === 'limit');
    expect(limit).toMatchObject({ in: 'query', required: false });
  });

  it('adds, lists, gets, updates, pauses, resumes, triggers, backfills and removes a schedule', async () => {
    const created = await call('POST', '/api/v1/schedules', { body: schedule('nightly') });
    expect(created.status).toBe(201);
    expect(created.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(created.json).toMatchObject({ outcome: 'created', schedule: { id: 'nightly', task: 'report', overlap: 'skip', state: { paused: false } } });
    expect(created.json.warnings).toEqual([expect.stringContaining('no live worker serves task "report"')]);

    const kept = await call('POST', '/api/v1/schedules?onConflict=keep', { body: schedule('nightly', { task: 'other' }) });
    expect(kept.status).toBe(200);
    expect(kept.json).toMatchObject({ outcome: 'kept', schedule: { task: 'report' } });
    const replaced = await call('POST', '/api/v1/schedules?onConflict=replace', { body: schedule('nightly', { maxInstances: 2 }) });
    expect(replaced.status).toBe(200);
    expect(replaced.json).toMatchObject({ outcome: 'replaced', schedule: { maxInstances: 2 } });

    await call('POST', '/api/v1/schedules', { body: schedule('hourly', { trigger: { every: '1h' }, labels: { team: 'data' } }) });
    const all = await call('GET', '/api/v1/schedules');
    expect(all.status).toBe(200);
    expect(all.json.schedules.map((each: { id: string }) => each.id)).toEqual(['nightly', 'hourly']);
    expect(all.json.nextCursor).toBeNull();
    const page = await call('GET', '/api/v1/schedules?limit=1');
    expect(page.json.schedules.map((each: { id: string }) => each.id)).toEqual(['nightly']);
    const next = await call('GET', `/api/v1/schedules?limit=1&cursor=${encodeURIComponent(page.json.nextCursor)}`);
    expect(next.json.schedules.map((each: { id: string }) => each.id)).toEqual(['hourly']);
    const labelled = await call('GET', '/api/v1/schedules?label=team=data&state=active');
    expect(labelled.json.schedules.map((each: { id: string }) => each.id)).toEqual(['hourly']);

    const got = await call('GET', '/api/v1/schedules/nightly');
    expect(got.status).toBe(200);
    expect(got.json).toMatchObject({ id: 'nightly', trigger: { cron: '0 9 * * *', timezone: 'Europe/Berlin' } });

    const updated = await call('PUT', '/api/v1/schedules/nightly', { body: { trigger: { cron: '30 8 * * *' }, retry: { attempts: 3, delay: '1s' } } });
    expect(updated.status).toBe(200);
    expect(updated.json).toMatchObject({ trigger: { cron: '30 8 * * *' }, retry: { attempts: 3, delay: 1000 }, task: 'report' });

    const paused = await call('POST', '/api/v1/schedules/nightly/pause');
    expect(paused.status).toBe(200);
    expect(paused.json.state.paused).toBe(true);
    const resumed = await call('POST', '/api/v1/schedules/nightly/resume', { body: { catchUp: 'none' } });
    expect(resumed.status).toBe(200);
    expect(resumed.json.state.paused).toBe(false);

    const triggered = await call('POST', '/api/v1/schedules/nightly/trigger', { body: {} });
    expect(triggered.status).toBe(202);
    expect(triggered.json.runId).toMatch(/^nightly@now-\d+$/);

    const backfilled = await call('POST', '/api/v1/schedules/hourly/backfill', { body: { from: '2026-01-01T00:00:00Z', to: '2026-01-01T02:00:00Z' } });
    expect(backfilled.status).toBe(202);
    expect(backfilled.json.runIds).toEqual(['hourly@backfill-1767225600000', 'hourly@backfill-1767229200000', 'hourly@backfill-1767232800000']);

    const removed = await call('DELETE', '/api/v1/schedules/hourly');
    expect(removed.status).toBe(204);
    expect(removed.text).toBe('');
    const gone = await call('GET', '/api/v1/schedules/hourly');
    expect(gone.status).toBe(404);
    expect(gone.json).toEqual({ error: { code: 'NOT_FOUND', message: 'schedule "hourly" not found', kind: 'schedule', id: 'hourly' } });
  });

  it('lists and gets runs (run ids URL-encoded), and reports the cluster status', async () => {
    await call('POST', '/api/v1/schedules', { body: schedule('lister') });
    const { runId } = (await call('POST', '/api/v1/schedules/lister/trigger')).json as { runId: string };
    const runs = await waitFor('the triggered run listed', async () => {
      const answer = await call('GET', '/api/v1/runs?scheduleId=lister&limit=10');
      return answer.json.runs.length > 0 ? answer.json.runs : undefined;
    });
    expect(runs).toEqual([expect.objectContaining({ runId, scheduleId: 'lister', kind: 'manual' })]);
    const run = await call('GET', `/api/v1/runs/${encodeURIComponent(runId)}`);
    expect(run.status).toBe(200);
    expect(run.json).toMatchObject({ runId, scheduleId: 'lister', status: 'enqueued' });
    const filtered = await call('GET', `/api/v1/runs?status=succeeded&before=${encodeURIComponent(new Date().toISOString())}`);
    expect(filtered.json.runs).toEqual([]);

    const status = await call('GET', '/api/v1/status');
    expect(status.status).toBe(200);
    expect(status.json).toMatchObject({ namespace: server.namespace, workers: [] });
    expect(status.json.coordinators).toEqual([expect.objectContaining({ id: server.coordinator.id })]);
  });

  it('answers 404 JSON for unknown runs and unknown routes', async () => {
    const run = await call('GET', `/api/v1/runs/${encodeURIComponent('nothing@123')}`);
    expect(run.status).toBe(404);
    expect(run.json.error).toMatchObject({ code: 'NOT_FOUND', kind: 'run', id: 'nothing@123' });
    const route = await call('GET', '/api/v1/xyz?a=1');
    expect(route.status).toBe(404);
    expect(route.json).toEqual({ error: { code: 'NOT_FOUND', message: 'no route GET /api/v1/xyz' } });
    const method = await call('PATCH', '/api/v1/schedules/x', { body: {} });
    expect(method.status).toBe(404);
    expect(method.json.error.code).toBe('NOT_FOUND');
  });

  it('answers 409 when the id exists, naming the id', async () => {
    await call('POST', '/api/v1/schedules', { body: schedule('taken') });
    const again = await call('POST', '/api/v1/schedules', { body: schedule('taken') });
    expect(again.status).toBe(409);
    expect(again.json.error).toMatchObject({ code: 'CONFLICT', id: 'taken' });
  });

  describe('bad input: 400 naming the field, nothing changed', () => {
    it.each([
      ['malformed JSON', { raw: '{"id": "x",' }, 'body', 'INVALID_INPUT'],
      ['a JSON array', { body: [1] }, 'body', 'INVALID_INPUT'],
      ['an unknown field', { body: { ...schedule('bad'), colour: 'red' } }, 'colour', 'INVALID_INPUT'],
      ['an unknown nested field', { body: { ...schedule('bad'), retry: { attempts: 2, tries: 3 } } }, 'retry.tries', 'INVALID_INPUT'],
      ['a wrong type', { body: { ...schedule('bad'), maxInstances: 'two' } }, 'maxInstances', 'INVALID_INPUT'],
      ['a wrong enum value', { body: { ...schedule('bad'), overlap: 'sometimes' } }, 'overlap', 'INVALID_INPUT'],
      ['an invalid cron expression', { body: { ...schedule('bad'), trigger: { cron: '61 * * * *' } } }, 'trigger.cron', 'INVALID_TRIGGER'],
      ['an unknown time zone', { body: { ...schedule('bad'), trigger: { cron: '0 9 * * *', timezone: 'Mars/Olympus' } } }, 'trigger.timezone', 'INVALID_TRIGGER'],
      ['a bad duration', { body: { ...schedule('bad'), timeout: 'soon' } }, 'timeout', 'INVALID_INPUT'],
    ])('%s', async (_case, options, field, code) => {
      const answer = await call('POST', '/api/v1/schedules', options);
      expect(answer.status).toBe(400);
      expect(answer.json.error).toMatchObject({ code, field });
      expect(typeof answer.json.error.problem).toBe('string');
      expect(answer.text).not.toMatch(/at .*\.ts:\d+/);
      expect((await call('GET', '/api/v1/schedules/bad')).status).toBe(404);
    });

    it('names the query parameter itself', async () => {
      expect((await call('GET', '/api/v1/schedules?limit=0')).json.error).toMatchObject({ code: 'INVALID_INPUT', field: 'limit' });
      expect((await call('GET', '/api/v1/runs?limit=abc')).json.error).toMatchObject({ field: 'limit' });
      expect((await call('GET', '/api/v1/runs?before=yesterday')).json.error).toMatchObject({ field: 'before' });
      expect((await call('GET', '/api/v1/schedules?sort=id')).json.error).toMatchObject({ field: 'sort', problem: 'unknown field' });
      expect((await call('GET', '/api/v1/schedules?label=team')).json.error).toMatchObject({ field: 'label' });
      expect((await call('GET', '/api/v1/events/recent?types=run.exploded')).json.error).toMatchObject({ field: 'types' });
    });

    it('leaves the schedule unchanged after a rejected PUT', async () => {
      await call('POST', '/api/v1/schedules', { body: schedule('steady') });
      const before = (await call('GET', '/api/v1/schedules/steady')).json;
      for (const body of [{ trigger: { cron: 'not a cron' } }, { maxInstances: 0 }, { id: 'renamed' }, { paused: true }, { task: 'x', colour: 'red' }]) {
        const answer = await call('PUT', '/api/v1/schedules/steady', { body });
        expect(answer.status).toBe(400);
      }
      expect((await call('PUT', '/api/v1/schedules/steady', { body: { trigger: { cron: 'not a cron' } } })).json.error.field).toBe('trigger.cron');
      expect((await call('GET', '/api/v1/schedules/steady')).json).toEqual(before);
    });

    it('refuses a non-JSON body with 415 and a body over 1 MiB with 413', async () => {
      const text = await call('POST', '/api/v1/schedules', { raw: 'id=x', contentType: 'application/x-www-form-urlencoded' });
      expect(text.status).toBe(415);
      expect(text.json.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
      const large = await call('POST', '/api/v1/schedules', { body: schedule('large', { data: { blob: 'x'.repeat(1024 * 1024) } }) });
      expect(large.status).toBe(413);
      expect(large.json.error.code).toBe('PAYLOAD_TOO_LARGE');
      expect((await call('GET', '/api/v1/schedules/large')).status).toBe(404);
    });

    it('checks bodies of actions', async () => {
      await call('POST', '/api/v1/schedules', { body: schedule('acted') });
      expect((await call('POST', '/api/v1/schedules/acted/resume', { body: { catchUp: 'all' } })).json.error).toMatchObject({ field: 'catchUp' });
      expect((await call('POST', '/api/v1/schedules/acted/trigger', { body: { force: 'yes' } })).json.error).toMatchObject({ field: 'force' });
      expect((await call('POST', '/api/v1/schedules/acted/backfill', { body: { from: 'then', to: '2026-01-01T00:00:00Z' } })).json.error).toMatchObject({ field: 'from' });
      expect((await call('POST', '/api/v1/schedules/acted/backfill')).json.error).toMatchObject({ field: 'body' });
      expect((await call('POST', '/api/v1/schedules/acted/pause', { body: { now: true } })).json.error).toMatchObject({ field: 'now' });
    });
  });

  describe('auth', () => {
    it('answers 401 without a token or with an unknown one, with www-authenticate: Bearer', async () => {
      for (const token of [undefined, 'wrong-token']) {
        const answer = await server.call('GET', '/api/v1/schedules', token === undefined ? {} : { token });
        expect(answer.status).toBe(401);
        expect(answer.headers.get('www-authenticate')).toBe('Bearer');
        expect(answer.json.error.code).toBe('UNAUTHORIZED');
      }
      expect((await server.call('GET', '/api/v1/schedules', { headers: { authorization: `Basic ${ADMIN_TOKEN}` } })).status).toBe(401);
    });

    it('lets a read token read and refuses it writes with 403', async () => {
      expect((await server.call('GET', '/api/v1/schedules', { token: READ_TOKEN })).status).toBe(200);
      expect((await server.call('GET', '/api/v1/status', { token: READ_TOKEN })).status).toBe(200);
      const write = await server.call('POST', '/api/v1/schedules', { token: READ_TOKEN, body: schedule('by-reader') });
      expect(write.status).toBe(403);
      expect(write.json.error.code).toBe('FORBIDDEN');
      expect((await call('GET', '/api/v1/schedules/by-reader')).status).toBe(404);
    });

    it('answers 401 and 403 before anything else, so they reveal nothing', async () => {
      expect((await server.call('GET', '/api/v1/schedules/no-such-schedule')).status).toBe(401);
      expect((await server.call('DELETE', '/api/v1/schedules/no-such-schedule', { token: READ_TOKEN })).status).toBe(403);
      expect((await server.call('POST', '/api/v1/schedules', { raw: '{broken' })).status).toBe(401);
      expect((await server.call('POST', '/api/v1/schedules', { token: READ_TOKEN, body: schedule('huge', { data: 'x'.repeat(2 * 1024 * 1024) }) })).status).toBe(403);
    });

    it('never logs a token', async () => {
      await server.call('GET', '/api/v1/schedules', { token: 'a-wrong-token-that-must-not-be-logged' });
      await call('POST', '/api/v1/schedules', { raw: '{broken' });
      const text = server.logs.join('');
      expect(text).toContain('admin API requires a bearer token');
      expect(text).not.toContain(ADMIN_TOKEN);
      expect(text).not.toContain(READ_TOKEN);
      expect(text).not.toContain('a-wrong-token-that-must-not-be-logged');
    });
  });

});

describe('admin API events', () => {
  let server: Server;
  const call = (method: string, path: string, options: CallOptions = {}) => server.call(method, path, { token: ADMIN_TOKEN, ...options });

  beforeAll(async () => {
    server = await startServer([
      { scope: 'read', token: READ_TOKEN },
      { scope: 'admin', token: ADMIN_TOKEN },
    ]);
  });

  /** Reads server-sent events until `count` events arrived, then disconnects. */
  async function readEvents(path: string, count: number, headers: Record<string, string> = {}): Promise<{ id: string; type: string; data: SundialEvent }[]> {
    const controller = new AbortController();
    const response = await fetch(`http://127.0.0.1:${server.coordinator.httpPort as number}${path}`, { headers: { authorization: `Bearer ${READ_TOKEN}`, ...headers }, signal: controller.signal });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    const events: { id: string; type: string; data: SundialEvent }[] = [];
    let buffer = '';
    while (events.length < count) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const fields = new Map(block.split('\n').filter((line) => !line.startsWith(':')).map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 2)] as const));
        if (fields.has('data')) events.push({ id: fields.get('id') as string, type: fields.get('event') as string, data: JSON.parse(fields.get('data') as string) as SundialEvent });
      }
    }
    controller.abort();
    return events;
  }

  it('streams events over SSE, of the types asked for, and resumes after Last-Event-ID', async () => {
    await call('POST', '/api/v1/schedules', { body: schedule('first') });
    await call('POST', '/api/v1/schedules/first/pause');
    await call('POST', '/api/v1/schedules', { body: schedule('second') });

    const [added, secondAdded] = await readEvents('/api/v1/events?from=start&types=schedule.added', 2);
    expect(added).toMatchObject({ type: 'schedule.added', data: { type: 'schedule.added', scheduleId: 'first' } });
    expect(added?.id).toBe(added?.data.id);
    expect(secondAdded?.data.scheduleId).toBe('second');

    const [afterFirst] = await readEvents('/api/v1/events?from=start', 1, { 'last-event-id': added?.id as string });
    expect(afterFirst).toMatchObject({ type: 'schedule.paused', data: { scheduleId: 'first' } });

    const live = readEvents(`/api/v1/events?from=${encodeURIComponent(secondAdded?.id as string)}&types=schedule.removed`, 1);
    await call('DELETE', '/api/v1/schedules/first');
    expect((await live)[0]).toMatchObject({ type: 'schedule.removed', data: { scheduleId: 'first' } });

    const recent = await call('GET', '/api/v1/events/recent?types=schedule.added,schedule.removed&limit=10');
    expect(recent.status).toBe(200);
    expect(recent.json.events.map((event: SundialEvent) => `${event.type} ${event.scheduleId}`)).toEqual(['schedule.added first', 'schedule.added second', 'schedule.removed first']);

    expect((await call('GET', '/api/v1/events?from=yesterday')).json.error).toMatchObject({ field: 'from' });
    expect((await call('GET', '/api/v1/events', { headers: { 'last-event-id': 'garbage' } })).json.error).toMatchObject({ field: 'Last-Event-ID' });
  });
});

describe('admin API runs with a worker', () => {
  let server: Server;
  let worker: SundialWorker | undefined;
  const call = (method: string, path: string, options: CallOptions = {}) => server.call(method, path, { token: ADMIN_TOKEN, ...options });

  beforeAll(async () => {
    server = await startServer([{ scope: 'admin', token: ADMIN_TOKEN }]);
  });

  afterAll(async () => {
    await worker?.close();
  });

  it('retries a failed run and cancels a running one', async () => {
    let failNext = true;
    worker = await startWorker({
      connection: testRedisUrl(),
      namespace: server.namespace,
      logger: pino({ level: 'silent' }),
      tasks: [
        {
          name: 'flaky',
          retry: { attempts: 1 },
          handler: () => {
            if (failNext) {
              failNext = false;
              throw new Error('first attempt fails');
            }
            return 'ok';
          },
        },
        { name: 'slow', handler: ({ signal }) => new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('aborted')))) },
      ],
    });
    await call('POST', '/api/v1/schedules', { body: { id: 'flaky', task: 'flaky', trigger: { every: '1h' } } });
    const { runId } = (await call('POST', '/api/v1/schedules/flaky/trigger')).json as { runId: string };
    const path = `/api/v1/runs/${encodeURIComponent(runId)}`;
    await waitFor('the run failed', async () => ((await call('GET', path)).json.status === 'failed' ? true : undefined));
    const retried = await call('POST', `${path}/retry`);
    expect(retried.status).toBe(200);
    expect(retried.json.runId).toBe(runId);
    await waitFor('the retried run succeeded', async () => ((await call('GET', path)).json.status === 'succeeded' ? true : undefined));
    const again = await call('POST', `${path}/retry`);
    expect(again.status).toBe(400);
    expect(again.json.error).toMatchObject({ field: 'runId' });

    await call('POST', '/api/v1/schedules', { body: { id: 'slow', task: 'slow', trigger: { every: '1h' } } });
    const slow = (await call('POST', '/api/v1/schedules/slow/trigger')).json as { runId: string };
    const slowPath = `/api/v1/runs/${encodeURIComponent(slow.runId)}`;
    await waitFor('the slow run running', async () => ((await call('GET', slowPath)).json?.status === 'running' ? true : undefined));
    const cancelled = await call('POST', `${slowPath}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.json.runId).toBe(slow.runId);
    await waitFor('the run cancelled', async () => ((await call('GET', slowPath)).json.status === 'cancelled' ? true : undefined));
  });
});

describe('admin API without tokens', () => {
  it('answers loopback requests, refuses others with 403, and logs that it is loopback-only', async () => {
    const server = await startServer();
    const answer = await server.call('GET', '/api/v1/schedules');
    expect(answer.status).toBe(200);
    expect(server.logs.filter((line) => line.includes('admin API answers loopback requests only'))).toHaveLength(1);

    const address = nonLoopbackAddress();
    const host = address.includes(':') ? `[${address}]` : address;
    const remote = await fetch(`http://${host}:${server.coordinator.httpPort as number}/api/v1/schedules`);
    expect(remote.status).toBe(403);
    expect(await remote.json()).toEqual({ error: { code: 'FORBIDDEN', message: expect.stringContaining('SUNDIAL_API_TOKEN') } });
    expect((await fetch(`http://${host}:${server.coordinator.httpPort as number}/healthz`)).status).toBe(200);
    expect((await fetch(`http://${host}:${server.coordinator.httpPort as number}/api/v1/openapi.json`)).status).toBe(200);
  });
});
