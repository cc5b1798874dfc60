import { createServer, type Server } from 'node:net';
import { Counter, Registry } from 'prom-client';
import { ValidationError } from '../errors';
import { startHealthServer, type HealthServer } from './health-server';

async function get(port: number, path: string): Promise<{ status: number; body: string; contentType: string | null }> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: response.status, body: await response.text(), contentType: response.headers.get('content-type') };
}

describe('startHealthServer', () => {
  let server: HealthServer | undefined;
  let blocker: Server | undefined;
  let isReady: boolean;
  const registry = new Registry();
  const counter = new Counter({ name: 'sundial_test_things_total', help: 'Things counted by the test', labelNames: ['kind'], registers: [registry] });

  beforeEach(async () => {
    isReady = true;
    server = await startHealthServer({ port: 0, host: '127.0.0.1', registry, ready: () => isReady });
  });

  afterEach(async () => {
    await server?.close();
    server = undefined;
    await new Promise<void>((resolve) => (blocker ? blocker.close(() => resolve()) : resolve()));
    blocker = undefined;
  });

  it('listens on the port the kernel picked for port 0', () => {
    expect(server?.port).toBeGreaterThan(0);
  });

  it('serves the registry in Prometheus text format on /metrics', async () => {
    counter.inc({ kind: 'apple' }, 3);
    const response = await get(server!.port, '/metrics');
    expect(response.status).toBe(200);
    expect(response.contentType).toBe(registry.contentType);
    expect(response.body).toContain('# TYPE sundial_test_things_total counter');
    expect(response.body).toContain('sundial_test_things_total{kind="apple"} 3');
  });

  it('answers /healthz with 200 ok', async () => {
    expect(await get(server!.port, '/healthz')).toMatchObject({ status: 200, body: 'ok\n' });
  });

  it('answers /readyz with 200 or 503 as ready() says, at each request', async () => {
    expect(await get(server!.port, '/readyz')).toMatchObject({ status: 200, body: 'ready\n' });
    isReady = false;
    expect(await get(server!.port, '/readyz')).toMatchObject({ status: 503, body: 'not ready\n' });
    isReady = true;
    expect(await get(server!.port, '/readyz')).toMatchObject({ status: 200, body: 'ready\n' });
  });

  it('counts a readiness check that throws or rejects as not ready', async () => {
    const failing = await startHealthServer({ port: 0, host: '127.0.0.1', registry, ready: () => Promise.reject(new Error('Redis is down')) });
    try {
      expect(await get(failing.port, '/readyz')).toMatchObject({ status: 503, body: 'not ready\n' });
    } finally {
      await failing.close();
    }
  });

  it('answers other paths with 404 and other methods with 405', async () => {
    expect((await get(server!.port, '/')).status).toBe(404);
    expect((await get(server!.port, '/metrics/extra')).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${server!.port}/metrics`, { method: 'POST' })).status).toBe(405);
  });

  it('reports a port already in use as a ValidationError naming the port', async () => {
    blocker = createServer();
    const port = await new Promise<number>((resolve) => blocker!.listen(0, '127.0.0.1', () => resolve((blocker!.address() as { port: number }).port)));
    const attempt = startHealthServer({ port, host: '127.0.0.1', registry, ready: () => true });
    await expect(attempt).rejects.toThrow(ValidationError);
    await expect(attempt).rejects.toThrow(`port: port ${port} is already in use`);
    const named = startHealthServer({ port, host: '127.0.0.1', registry, ready: () => true, field: '--port' });
    await expect(named).rejects.toThrow(`--port: port ${port} is already in use`);
  });

  it('rejects a port out of range', async () => {
    await expect(startHealthServer({ port: 70_000, registry, ready: () => true })).rejects.toThrow('port: expected a port number from 0 to 65535, got 70000');
  });

  it('stops answering once closed', async () => {
    const { port } = server!;
    await server!.close();
    server = undefined;
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  });
});
