import type { Coordinator } from '@sundial/coordinator';
import { compileTrigger, connectRedis } from '@sundial/shared';
import type { Redis } from 'ioredis';
import pino from 'pino';
import { deleteNamespace, testRedisUrl, uniqueNamespace } from '../support/namespace';
import { startApiCoordinator } from '../helpers/api-coordinator';

// The API routes the dashboard needs, on a real coordinator and Redis: the next fire times of a
// schedule, and the event stream opened with the token in the URL (a browser's EventSource).

jest.setTimeout(30_000);

const ADMIN_TOKEN = 'admin-9a8b7c6d5e4f30211203f4e5d6c7b8a9';
const READ_TOKEN = 'read-1b2c3d4e5f60718293a4b5c6d7e8f9012';

let coordinator: Coordinator;
let namespace: string;
let admin: Redis;
const logs: string[] = [];

async function call(path: string, options: { token?: string; method?: string; body?: unknown } = {}): Promise<{ status: number; headers: Headers; json: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const headers: Record<string, string> = {};
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`http://127.0.0.1:${coordinator.httpPort as number}${path}`, { method: options.method ?? 'GET', headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: text === '' ? undefined : JSON.parse(text) };
}

/**
 * Opens the event stream and answers its status, content type and text: for a 200, the text
 * read until `until` arrives (after `then` ran, once connected); else the error body.
 */
async function openStream(path: string, options: { headers?: Record<string, string>; until?: string; then?: () => Promise<unknown> } = {}): Promise<{ status: number; contentType: string | null; text: string }> {
  const controller = new AbortController();
  const response = await fetch(`http://127.0.0.1:${coordinator.httpPort as number}${path}`, { headers: options.headers ?? {}, signal: controller.signal });
  let text = '';
  if (response.status === 200) {
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let asked = false;
    while (!text.includes(options.until ?? ': connected')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
      if (!asked && text.includes(': connected')) {
        asked = true;
        await options.then?.();
      }
    }
    await reader.cancel();
  } else {
    text = await response.text();
  }
  controller.abort();
  return { status: response.status, contentType: response.headers.get('content-type'), text };
}

beforeAll(async () => {
  admin = await connectRedis(testRedisUrl(), { connectionName: 'sundial:test-admin' });
  namespace = uniqueNamespace('dashboard-api');
  const logger = pino({ level: 'debug' }, { write: (line: string) => void logs.push(line) });
  coordinator = await startApiCoordinator(namespace, { admin: ADMIN_TOKEN, read: READ_TOKEN }, logger);
});

afterAll(async () => {
  await coordinator.stop();
  await deleteNamespace(admin, namespace);
  await admin.quit();
});

describe('GET /api/v1/schedules/{id}/next', () => {
  it("answers the next fire times of the schedule's trigger, jitter included", async () => {
    const trigger = { cron: '0 9 * * MON-FRI', timezone: 'America/New_York', jitter: '10m' };
    expect((await call('/api/v1/schedules', { token: ADMIN_TOKEN, method: 'POST', body: { id: 'weekday', task: 'report', trigger } })).status).toBe(201);
    const before = Date.now();
    const answer = await call('/api/v1/schedules/weekday/next?count=10', { token: READ_TOKEN });
    expect(answer.status).toBe(200);
    const fireTimes = answer.json.fireTimes as { fireTime: string; fireAt: string }[];
    expect(fireTimes).toHaveLength(10);
    const expected = compileTrigger(trigger).take(before, 10, { seed: 'weekday' });
    expect(fireTimes.map((fire) => fire.fireTime)).toEqual(expected.map((fire) => new Date(fire.nominalMs).toISOString()));
    expect(fireTimes.map((fire) => fire.fireAt)).toEqual(expected.map((fire) => new Date(fire.fireAtMs).toISOString()));
    for (const fire of fireTimes) {
      const local = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(fire.fireTime));
      expect(local).toMatch(/^(Mon|Tue|Wed|Thu|Fri) 09:00$/);
    }
    const schedule = (await call('/api/v1/schedules/weekday', { token: READ_TOKEN })).json;
    expect(fireTimes[0]).toEqual({ fireTime: schedule.state.nextFireTime, fireAt: schedule.state.nextFireAt });
  });

  it('answers 10 by default, none for a finished schedule', async () => {
    await call('/api/v1/schedules', { token: ADMIN_TOKEN, method: 'POST', body: { id: 'quarterly', task: 'report', trigger: { every: '15m' } } });
    expect((await call('/api/v1/schedules/quarterly/next', { token: READ_TOKEN })).json.fireTimes).toHaveLength(10);
    await call('/api/v1/schedules', { token: ADMIN_TOKEN, method: 'POST', body: { id: 'once-long-ago', task: 'report', trigger: { at: '2020-01-01T00:00:00Z' } } });
    expect((await call('/api/v1/schedules/once-long-ago/next', { token: READ_TOKEN })).json).toEqual({ fireTimes: [] });
  });

  it('names count when it is out of range, and answers 404 for an unknown schedule', async () => {
    for (const count of ['0', '101', 'ten']) {
      const answer = await call(`/api/v1/schedules/quarterly/next?count=${count}`, { token: READ_TOKEN });
      expect(answer.status).toBe(400);
      expect(answer.json.error).toMatchObject({ code: 'INVALID_INPUT', field: 'count' });
    }
    const unknown = await call('/api/v1/schedules/nothing-here/next', { token: READ_TOKEN });
    expect(unknown.status).toBe(404);
    expect(unknown.json.error).toMatchObject({ kind: 'schedule', id: 'nothing-here' });
    expect((await call('/api/v1/schedules/quarterly/next')).status).toBe(401);
  });

  it('is in the OpenAPI document', async () => {
    const document = (await call('/api/v1/openapi.json')).json;
    const operation = document.paths['/api/v1/schedules/{id}/next'].get;
    expect(operation).toMatchObject({ operationId: 'nextFireTimes', 'x-sundial-scope': 'read' });
    expect(operation.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'count', in: 'query', required: false })]));
    expect(operation.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/NextFireTimes' });
  });
});

describe('the event stream with the token in the URL', () => {
  it('accepts access_token on GET /api/v1/events, for clients that cannot send headers', async () => {
    const stream = await openStream(`/api/v1/events?types=schedule.added&access_token=${READ_TOKEN}`, {
      until: '"scheduleId":"streamed"',
      then: () => call('/api/v1/schedules', { token: ADMIN_TOKEN, method: 'POST', body: { id: 'streamed', task: 'report', trigger: { every: '1h' } } }),
    });
    expect(stream).toMatchObject({ status: 200, contentType: 'text/event-stream; charset=utf-8' });
    expect(stream.text).toContain('event: schedule.added');
  });

  it('refuses a wrong access_token, and lets the Authorization header win over it', async () => {
    const wrong = await openStream('/api/v1/events?access_token=not-a-token');
    expect(wrong.status).toBe(401);
    expect(JSON.parse(wrong.text)).toEqual({ error: { code: 'UNAUTHORIZED', message: 'unknown token' } });
    expect((await openStream(`/api/v1/events?access_token=${READ_TOKEN}`, { headers: { authorization: 'Bearer not-a-token' } })).status).toBe(401);
  });

  it('takes access_token on the event stream only', async () => {
    expect((await call(`/api/v1/schedules?access_token=${ADMIN_TOKEN}`)).status).toBe(401);
    expect((await call(`/api/v1/events/recent?access_token=${ADMIN_TOKEN}`)).status).toBe(401);
    expect((await call(`/api/v1/schedules/quarterly/pause?access_token=${ADMIN_TOKEN}`, { method: 'POST' })).status).toBe(401);
    const parameters = (await call('/api/v1/openapi.json')).json.paths['/api/v1/events'].get.parameters as { name: string }[];
    expect(parameters.map((parameter) => parameter.name)).toContain('access_token');
  });

  it('never logs the token of a URL', async () => {
    await openStream(`/api/v1/events?access_token=${READ_TOKEN}&from=garbage`);
    await openStream('/api/v1/events?access_token=a-wrong-token-that-must-not-be-logged');
    const text = logs.join('');
    expect(text).toContain('admin API requires a bearer token');
    expect(text).not.toContain(READ_TOKEN);
    expect(text).not.toContain('a-wrong-token-that-must-not-be-logged');
    expect(text).not.toContain('access_token');
  });
});

describe('the dashboard on a coordinator', () => {
  it('is served at / without a token, while the API behind it wants one', async () => {
    const page = await fetch(`http://127.0.0.1:${coordinator.httpPort as number}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toContain('<script defer src="/ui/dashboard-');
    expect((await call('/api/v1/status')).status).toBe(401);
  });
});
