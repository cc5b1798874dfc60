import type { FastifyInstance, FastifyReply } from 'fastify';
import { readFile } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';

/**
 * Where the built dashboard lives: `dist/ui` of this package. The same path is reached from the
 * compiled code (`dist/api`) and from the sources (`src/api`, under ts-jest).
 */
export const DASHBOARD_DIRECTORY = resolve(__dirname, '..', '..', 'dist', 'ui');

/** The URL prefix of the dashboard's assets. */
export const DASHBOARD_ASSET_PREFIX = '/ui/';

/**
 * The dashboard's Content-Security-Policy: scripts, styles and API calls from this origin only,
 * no inline scripts, no framing.
 */
export const DASHBOARD_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/** Asset names the build writes: a name, a content hash, an extension; nothing that walks directories. */
const ASSET_NAME = /^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*\.[a-z]+$/;

const notFound = (path: string) => ({ error: { code: 'NOT_FOUND', message: `no dashboard file ${path}` } });

/** Headers every dashboard answer carries. */
function secure(reply: FastifyReply): FastifyReply {
  return reply
    .header('content-security-policy', DASHBOARD_CONTENT_SECURITY_POLICY)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .header('x-frame-options', 'DENY');
}

/** Options of {@link registerDashboard}. */
export interface DashboardOptions {
  /** The directory holding `index.html` and the assets. @defaultValue {@link DASHBOARD_DIRECTORY} */
  readonly directory?: string;
}

/**
 * Serves the operator dashboard, to everyone (it holds no data; its API calls carry the token):
 * `GET /` the page (`no-cache`, so a new version is picked up at once), `GET /ui/<file>` its
 * assets (content-hashed names, cached for a year), both with a strict Content-Security-Policy.
 * Files are read once and kept in memory. Unknown files answer 404 JSON; a coordinator built
 * without the dashboard answers 404 at `/` saying so.
 */
export function registerDashboard(app: FastifyInstance, options: DashboardOptions = {}): void {
  const directory = options.directory ?? DASHBOARD_DIRECTORY;
  const files = new Map<string, Promise<Buffer | undefined>>();
  const load = (name: string): Promise<Buffer | undefined> => {
    let file = files.get(name);
    if (!file) {
      file = readFile(join(directory, name)).catch(() => undefined);
      files.set(name, file);
      // A missing file is looked for again next time: the build may finish after the server started.
      void file.then((content) => content ?? files.delete(name));
    }
    return file;
  };

  app.get('/', async (_request, reply) => {
    const page = await load('index.html');
    if (page === undefined) {
      return secure(reply)
        .code(404)
        .header('cache-control', 'no-store')
        .send({ error: { code: 'NOT_FOUND', message: 'the dashboard is not built: run "pnpm build"; the admin API is at /api/v1' } });
    }
    return secure(reply).header('content-type', CONTENT_TYPES['.html']).header('cache-control', 'no-cache').send(page);
  });

  app.get(`${DASHBOARD_ASSET_PREFIX}*`, async (request, reply) => {
    const path = request.url.split('?')[0] ?? request.url;
    const name = path.slice(DASHBOARD_ASSET_PREFIX.length);
    const type = CONTENT_TYPES[extname(name)];
    const content = ASSET_NAME.test(name) && type !== undefined && name !== 'index.html' ? await load(name) : undefined;
    if (content === undefined) return secure(reply).code(404).header('cache-control', 'no-store').send(notFound(path));
    return secure(reply).header('content-type', type).header('cache-control', 'public, max-age=31536000, immutable').send(content);
  });
}
