import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConflictError, InvalidTriggerError, NotFoundError, ValidationError } from '../errors';
import type { SundialEvent } from '../events/event-types';
import { rejectionOf, thrownBy } from '../../../../test/support/errors';
import { ApiClient } from './api-client';
import { ApiAuthError, ApiResponseError, ApiUnreachableError } from './api-errors';

// ApiClient against a small HTTP server of our own that answers as the admin API contract says.

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

interface ContractServer {
  url: string;
  requests: { method: string; url: string; headers: IncomingMessage['headers']; body: string }[];
  close(): Promise<void>;
}

async function serve(handler: Handler): Promise<ContractServer> {
  const requests: ContractServer['requests'] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      requests.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body });
      handler(request, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function answer(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify(body));
}

const servers: ContractServer[] = [];
async function started(handler: Handler): Promise<ContractServer> {
  const server = await serve(handler);
  servers.push(server);
  return server;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

describe('ApiClient requests', () => {
  it('sends the bearer token, JSON bodies and encoded path segments, as the contract says', async () => {
    const server = await started((_request, response) => answer(response, 200, { runId: 'nightly@1', status: 'cancelled' }));
    const client = new ApiClient({ url: `${server.url}/`, token: 'secret-token' });
    await client.cancelRun('nightly@1767225600000');
    await client.list({ task: 'report', labels: { team: 'ops', tier: 'gold' }, limit: 5 });
    await client.listRuns({ status: 'failed', task: 'report', before: Date.parse('2026-01-01T00:00:00Z') });
    await client.backfill('nightly', { from: Date.parse('2026-01-01T00:00:00Z'), to: new Date('2026-01-02T00:00:00Z'), force: true });
    expect(server.requests.map((request) => `${request.method} ${request.url}`)).toEqual([
      'POST /api/v1/runs/nightly%401767225600000/cancel',
      'GET /api/v1/schedules?task=report&label=team%3Dops&label=tier%3Dgold&limit=5',
      'GET /api/v1/runs?status=failed&task=report&before=2026-01-01T00%3A00%3A00.000Z',
      'POST /api/v1/schedules/nightly/backfill',
    ]);
    expect(server.requests[0]?.headers.authorization).toBe('Bearer secret-token');
    expect(server.requests[3]).toMatchObject({ headers: { 'content-type': 'application/json' } });
    expect(JSON.parse(server.requests[3]?.body ?? '')).toEqual({ from: '2026-01-01T00:00:00.000Z', to: '2026-01-02T00:00:00.000Z', force: true });
  });

  it('resolves remove on 204 without a body', async () => {
    const server = await started((_request, response) => void response.writeHead(204).end());
    await expect(new ApiClient({ url: server.url }).remove('nightly')).resolves.toBeUndefined();
  });

  it('rejects a bad URL, token or timeout naming the option', () => {
    expect(thrownBy(() => new ApiClient({ url: 'redis://127.0.0.1:6379' }))).toMatchObject({ field: 'url' });
    expect(thrownBy(() => new ApiClient({ url: 'not a url' }))).toMatchObject({ field: 'url' });
    expect(thrownBy(() => new ApiClient({ url: 'http://127.0.0.1', token: 'two words' }))).toMatchObject({ field: 'token' });
    expect(thrownBy(() => new ApiClient({ url: 'http://127.0.0.1', timeoutMs: 0 }))).toMatchObject({ field: 'timeoutMs' });
  });
});

describe('ApiClient error answers', () => {
  it.each<[string, number, unknown, (error: Error) => void]>([
    ['400 as ValidationError naming the field', 400, { error: { code: 'INVALID_INPUT', message: 'retry.attempts: too many', field: 'retry.attempts', problem: 'too many' } }, (error) => {
      expect(error).toBeInstanceOf(ValidationError);
      expect(error).toMatchObject({ field: 'retry.attempts', problem: 'too many', message: 'retry.attempts: too many' });
    }],
    ['400 INVALID_TRIGGER as InvalidTriggerError', 400, { error: { code: 'INVALID_TRIGGER', message: 'x', field: 'trigger.cron', problem: 'bad minute' } }, (error) => {
      expect(error).toBeInstanceOf(InvalidTriggerError);
      expect(error).toMatchObject({ field: 'trigger.cron', code: 'INVALID_TRIGGER' });
    }],
    ['413 as ValidationError naming the body', 413, { error: { code: 'PAYLOAD_TOO_LARGE', message: 'the request body is larger than 1 MiB' } }, (error) => {
      expect(error).toBeInstanceOf(ValidationError);
      expect(error).toMatchObject({ field: 'body' });
    }],
    ['401 as ApiAuthError UNAUTHORIZED', 401, { error: { code: 'UNAUTHORIZED', message: 'missing or unknown token' } }, (error) => {
      expect(error).toBeInstanceOf(ApiAuthError);
      expect(error).toMatchObject({ code: 'UNAUTHORIZED', message: expect.stringContaining('missing or unknown token') });
    }],
    ['403 as ApiAuthError FORBIDDEN', 403, { error: { code: 'FORBIDDEN', message: 'a read token cannot change anything' } }, (error) => {
      expect(error).toBeInstanceOf(ApiAuthError);
      expect(error).toMatchObject({ code: 'FORBIDDEN' });
    }],
    ['404 with kind and id as NotFoundError', 404, { error: { code: 'NOT_FOUND', message: 'run "a@1" not found', kind: 'run', id: 'a@1' } }, (error) => {
      expect(error).toBeInstanceOf(NotFoundError);
      expect(error).toMatchObject({ kind: 'run', id: 'a@1', message: 'run "a@1" not found' });
    }],
    ['404 of an unknown route as ApiResponseError', 404, { error: { code: 'NOT_FOUND', message: 'no route GET /api/v1/schedules/x' } }, (error) => {
      expect(error).toBeInstanceOf(ApiResponseError);
      expect(error.message).toContain('no route');
    }],
    ['409 as ConflictError', 409, { error: { code: 'CONFLICT', message: 'taken', id: 'nightly' } }, (error) => {
      expect(error).toBeInstanceOf(ConflictError);
      expect(error).toMatchObject({ id: 'nightly' });
    }],
    ['503 as ApiResponseError', 503, { error: { code: 'UNAVAILABLE', message: 'Redis is unreachable; try again shortly' } }, (error) => {
      expect(error).toBeInstanceOf(ApiResponseError);
      expect(error).toMatchObject({ status: 503, apiCode: 'UNAVAILABLE', code: 'API_ERROR' });
    }],
    ['a body that is not JSON as ApiResponseError with the status', 502, '<html>bad gateway</html>', (error) => {
      expect(error).toBeInstanceOf(ApiResponseError);
      expect(error).toMatchObject({ status: 502, apiCode: 'HTTP_502' });
    }],
  ])('maps %s', async (_name, status, body, check) => {
    const server = await started((_request, response) => {
      response.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/html' : 'application/json' });
      response.end(typeof body === 'string' ? body : JSON.stringify(body));
    });
    check(await rejectionOf(new ApiClient({ url: server.url }).get('nightly')));
  });

  it('raises ApiUnreachableError when no answer comes in time', async () => {
    const server = await started(() => undefined);
    const error = await rejectionOf(new ApiClient({ url: server.url, timeoutMs: 200 }).status());
    expect(error).toBeInstanceOf(ApiUnreachableError);
    expect(error.message).toContain('no answer within 200 ms');
  });

  it('raises ApiUnreachableError when the answer is not JSON', async () => {
    const server = await started((_request, response) => void response.writeHead(200, { 'content-type': 'text/html' }).end('<html></html>'));
    const error = await rejectionOf(new ApiClient({ url: server.url }).status());
    expect(error).toBeInstanceOf(ApiUnreachableError);
    expect(error.message).toContain('not JSON');
  });
});

describe('ApiClient events', () => {
  const event = (id: string, type: SundialEvent['type'], scheduleId: string) => `id: ${id}\nevent: ${type}\ndata: ${JSON.stringify({ type, scheduleId, time: '2026-01-01T00:00:00.000Z' })}\n\n`;

  it('reads server-sent events and, after a dropped connection, resumes with Last-Event-ID', async () => {
    let connections = 0;
    const server = await started((request, response) => {
      connections += 1;
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      if (connections === 1) {
        // Split mid-line and with CR LF line ends, then dropped.
        response.write(': keep-alive\r\n\r\n');
        response.write(event('1-0', 'schedule.added', 'a').slice(0, 10));
        response.write(event('1-0', 'schedule.added', 'a').slice(10) + event('2-0', 'schedule.removed', 'a').replace(/\n/g, '\r\n'));
        setTimeout(() => response.destroy(), 50);
        return;
      }
      response.write(event('3-0', 'schedule.added', `after ${String(request.headers['last-event-id'])}`));
    });
    const client = new ApiClient({ url: server.url });
    const seen: SundialEvent[] = [];
    const subscription = client.events.subscribe(['schedule.added', 'schedule.removed'], (each) => void seen.push(each), { from: 'start' });
    await waitUntil(() => seen.length === 3);
    expect(seen.map((each) => [each.id, each.type, each.scheduleId])).toEqual([
      ['1-0', 'schedule.added', 'a'],
      ['2-0', 'schedule.removed', 'a'],
      ['3-0', 'schedule.added', 'after 2-0'],
    ]);
    expect(server.requests[0]?.url).toBe('/api/v1/events?types=schedule.added%2Cschedule.removed&from=start');
    expect(server.requests[1]?.url).toBe('/api/v1/events?types=schedule.added%2Cschedule.removed');
    expect(subscription.lastId()).toBe('3-0');
    await client.close();
    await expect(subscription.done).resolves.toBeUndefined();
  });

  it('ends the subscription with the handler error, keeping the last event handled', async () => {
    const server = await started((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(event('1-0', 'schedule.added', 'a') + event('2-0', 'schedule.added', 'b'));
    });
    const subscription = new ApiClient({ url: server.url }).events.subscribe('*', (each) => {
      if (each.scheduleId === 'b') throw new Error('handler failed');
    });
    await expect(subscription.done).rejects.toThrow('handler failed');
    expect(subscription.lastId()).toBe('1-0');
  });

  it('ends the subscription when the first connection is refused', async () => {
    const server = await started((_request, response) => answer(response, 401, { error: { code: 'UNAUTHORIZED', message: 'missing or unknown token' } }));
    const subscription = new ApiClient({ url: server.url }).events.subscribe('*', () => undefined);
    await expect(subscription.done).rejects.toBeInstanceOf(ApiAuthError);
  });

  it('checks types and from before connecting', () => {
    const client = new ApiClient({ url: 'http://127.0.0.1:1' });
    expect(thrownBy(() => client.events.subscribe(['run.nope' as never], () => undefined))).toMatchObject({ field: 'types' });
    expect(thrownBy(() => client.events.subscribe('*', () => undefined, { from: 'yesterday' }))).toMatchObject({ field: 'from' });
  });
});

async function waitUntil(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for a condition');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
