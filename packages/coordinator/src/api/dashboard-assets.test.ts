import { SundialClient } from '@sundial/shared';
import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { Registry } from 'prom-client';
import { testRedisUrl, uniqueNamespace } from '../../../../test/support/namespace';
import { buildAdminApp } from './admin-server';
import { ApiAuth } from './auth';
import { DASHBOARD_CONTENT_SECURITY_POLICY, DASHBOARD_DIRECTORY } from './dashboard-assets';

/** An answer, read whole. */
interface Answer {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  json(): unknown;
}

const PAGE = '<!doctype html><title>Sundial</title><link rel="stylesheet" href="/ui/styles-AB12.css"><script defer src="/ui/dashboard-CD34.js"></script>';

describe('the dashboard assets', () => {
  let directory: string;
  let client: SundialClient;
  const apps: FastifyInstance[] = [];

  /** An admin app serving the dashboard from `dashboardDirectory`, listening on a free port of 127.0.0.1. */
  const appServing = async (dashboardDirectory: string, auth = new ApiAuth([{ scope: 'admin', token: 'dashboard-test-token' }])) => {
    const app = await buildAdminApp({ operations: client, probes: { registry: new Registry(), ready: () => true }, auth, logger: pino({ level: 'silent' }), dashboardDirectory });
    apps.push(app);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    return {
      get: async (url: string): Promise<Answer> => {
        const response = await fetch(`${base}${url}`);
        const body = await response.text();
        return { statusCode: response.status, headers: Object.fromEntries(response.headers), body, json: () => JSON.parse(body) };
      },
    };
  };

  beforeAll(() => {
    directory = mkdtempSync(join(tmpdir(), 'sundial-dashboard-'));
    writeFileSync(join(directory, 'index.html'), PAGE);
    writeFileSync(join(directory, 'dashboard-CD34.js'), 'document.title = "Sundial";');
    writeFileSync(join(directory, 'styles-AB12.css'), 'body { margin: 0 }');
    client = new SundialClient({ connection: testRedisUrl(), namespace: uniqueNamespace('dashboard-assets') });
  });

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await client.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('serves the page at / to everyone, uncached, with a CSP allowing only its own origin', async () => {
    const app = await appServing(directory);
    const page = await app.get('/');
    expect(page.statusCode).toBe(200);
    expect(page.body).toBe(PAGE);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(page.headers['content-security-policy']).toBe(DASHBOARD_CONTENT_SECURITY_POLICY);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    const policy = new Map(DASHBOARD_CONTENT_SECURITY_POLICY.split('; ').map((directive) => [directive.split(' ')[0], directive.split(' ').slice(1)] as const));
    expect(policy.get('default-src')).toEqual(["'self'"]);
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(policy.get('connect-src')).toEqual(["'self'"]);
    expect(DASHBOARD_CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);
    // The API behind it still wants the token.
    expect((await app.get('/api/v1/schedules')).statusCode).toBe(401);
  });

  it('serves the assets with their content types, cached for good (their names carry a content hash)', async () => {
    const app = await appServing(directory);
    const script = await app.get('/ui/dashboard-CD34.js');
    expect(script.statusCode).toBe(200);
    expect(script.body).toBe('document.title = "Sundial";');
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(script.headers['content-security-policy']).toBe(DASHBOARD_CONTENT_SECURITY_POLICY);
    const styles = await app.get('/ui/styles-AB12.css?v=1');
    expect(styles.statusCode).toBe(200);
    expect(styles.headers['content-type']).toBe('text/css; charset=utf-8');
  });

  it.each([
    ['an unknown file', '/ui/missing-0000.js'],
    ['a file of an unknown type', '/ui/notes.txt'],
    ['a path leaving the directory', '/ui/..%2F..%2Fpackage.json'],
    ['a nested path', '/ui/a/b.js'],
    ['the page under /ui', '/ui/index.html'],
    ['the directory itself', '/ui/'],
  ])('answers 404 JSON for %s', async (_case, url) => {
    const app = await appServing(directory);
    const answer = await app.get(url);
    expect(answer.statusCode).toBe(404);
    expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(answer.json()).toEqual({ error: { code: 'NOT_FOUND', message: expect.stringContaining('no dashboard file /ui/') } });
  });

  it('says so at / when the dashboard is not built', async () => {
    const app = await appServing(join(directory, 'not-built'));
    const answer = await app.get('/');
    expect(answer.statusCode).toBe(404);
    expect(answer.json()).toEqual({ error: { code: 'NOT_FOUND', message: expect.stringContaining('pnpm build') } });
  });

  it('serves the built dashboard: the page loads its script and styles from /ui/, nothing inline', async () => {
    const app = await appServing(DASHBOARD_DIRECTORY, new ApiAuth([]));
    const page = await app.get('/');
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(page.body).not.toMatch(/\sstyle=|\son[a-z]+=/);
    const assets = [...page.body.matchAll(/(?:src|href)="(\/ui\/[^"]+)"/g)].map((match) => match[1] as string);
    expect(assets).toEqual([expect.stringMatching(/^\/ui\/styles-\w+\.css$/), expect.stringMatching(/^\/ui\/dashboard-\w+\.js$/)]);
    for (const asset of assets) expect((await app.get(asset)).statusCode).toBe(200);
  });
});
