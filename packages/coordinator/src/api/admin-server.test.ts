import { SundialClient, ValidationError, connectRedis } from '@sundial/shared';
import { createServer, type Server } from 'node:net';
import pino from 'pino';
import { Registry } from 'prom-client';
import { deleteNamespace, testRedisUrl, uniqueNamespace } from '../../../../test/support/namespace';
import { ApiAuth } from './auth';
import { startAdminServer, type AdminServer } from './admin-server';

describe('startAdminServer (real Redis)', () => {
  let client: SundialClient;
  let namespace: string;
  let server: AdminServer | undefined;
  let blocker: Server | undefined;
  const probes = { registry: new Registry(), ready: () => true };

  beforeEach(async () => {
    namespace = uniqueNamespace('admin-server');
    client = new SundialClient({ connection: testRedisUrl(), namespace });
    // Connected before the test, so closing it afterwards leaves no reconnection behind.
    await client.status();
  });

  afterEach(async () => {
    await server?.close();
    server = undefined;
    await new Promise<void>((resolve) => (blocker ? blocker.close(() => resolve()) : resolve()));
    blocker = undefined;
    await client.close();
    const redis = await connectRedis(testRedisUrl(), { connectionName: 'sundial:test-admin' });
    await deleteNamespace(redis, namespace);
    await redis.quit();
  });

  it('names the port field when the port is taken', async () => {
    blocker = createServer();
    const port = await new Promise<number>((resolve) => blocker?.listen(0, '0.0.0.0', () => resolve((blocker?.address() as { port: number }).port)));
    const started = startAdminServer({ port, operations: client, probes, auth: new ApiAuth([]), logger: pino({ level: 'silent' }), field: '--port' });
    const error = await started.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ field: '--port', problem: `port ${port} is already in use` });
  });

  it('sends keep-alive comments on an idle event stream, and ends it on close', async () => {
    server = await startAdminServer({ port: 0, host: '127.0.0.1', operations: client, probes, auth: new ApiAuth([]), logger: pino({ level: 'silent' }), keepAliveMs: 20 });
    const response = await fetch(`http://127.0.0.1:${server.port}/api/v1/events`);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    let text = '';
    while ((text.match(/: keep-alive\n\n/g) ?? []).length < 2) {
      const { value, done } = await reader.read();
      if (done) throw new Error('the stream ended early');
      text += new TextDecoder().decode(value);
    }
    await server.close();
    for (;;) if ((await reader.read()).done) break;
    expect(text.startsWith(': connected\n\n')).toBe(true);
  });
});
