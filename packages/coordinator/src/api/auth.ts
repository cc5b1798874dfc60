import { ValidationError } from '@sundial/shared';
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** What a token may do: `read` answers the GET routes, `admin` every route (admin implies read). */
export type ApiScope = 'read' | 'admin';

/** A bearer token of the admin API and its scope. */
export interface ApiToken {
  readonly scope: ApiScope;
  readonly token: string;
}

/** The admin API settings of a coordinator. */
export interface ApiOptions {
  /**
   * The bearer tokens the API accepts. When given (even empty) the environment is not read.
   * @defaultValue from `SUNDIAL_API_TOKEN` (admin), `SUNDIAL_API_READ_TOKEN` (read) and `SUNDIAL_API_TOKENS_FILE`
   */
  tokens?: readonly ApiToken[];
}

/** The verdict on one request: allowed, or the status and error to answer. */
export type AuthDecision =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly status: 401 | 403; readonly code: 'UNAUTHORIZED' | 'FORBIDDEN'; readonly message: string };

/** The addresses a request may come from when no token is configured. */
const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

const SCOPES: readonly ApiScope[] = ['read', 'admin'];
const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;
const TOKEN = /^\S+$/;

const sha256 = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/**
 * Decides who may call the admin API. It keeps only SHA-256 digests of the tokens and compares
 * them with `timingSafeEqual` (digests have equal lengths, so no length leaks either), against
 * every configured token, so the time taken does not depend on which one matched.
 */
export class ApiAuth {
  private readonly digests: readonly { readonly scope: ApiScope; readonly digest: Buffer }[];

  constructor(tokens: readonly ApiToken[]) {
    this.digests = tokens.map(({ scope, token }) => ({ scope, digest: sha256(token) }));
  }

  /** Whether tokens are required; without any, only loopback requests are answered. */
  get enabled(): boolean {
    return this.digests.length > 0;
  }

  /** How many tokens of each scope are configured (never the tokens themselves), for the start-up log line. */
  tokenCounts(): Record<ApiScope, number> {
    return { read: this.digests.filter((entry) => entry.scope === 'read').length, admin: this.digests.filter((entry) => entry.scope === 'admin').length };
  }

  /**
   * Whether a request with this `Authorization` header, from this address, may use a route that
   * needs `needed`.
   */
  authorize(authorization: string | undefined, remoteAddress: string | undefined, needed: ApiScope): AuthDecision {
    if (!this.enabled) {
      if (remoteAddress !== undefined && LOOPBACK.has(remoteAddress)) return { allowed: true };
      return {
        allowed: false,
        status: 403,
        code: 'FORBIDDEN',
        message: 'no API token is configured, so the admin API answers loopback requests only; set SUNDIAL_API_TOKEN (or SUNDIAL_API_READ_TOKEN, SUNDIAL_API_TOKENS_FILE) to allow remote clients',
      };
    }
    const token = authorization === undefined ? undefined : BEARER.exec(authorization)?.[1];
    if (token === undefined) return { allowed: false, status: 401, code: 'UNAUTHORIZED', message: 'missing bearer token: send "Authorization: Bearer <token>"' };
    const scope = this.scopeOf(token);
    if (scope === undefined) return { allowed: false, status: 401, code: 'UNAUTHORIZED', message: 'unknown token' };
    if (needed === 'admin' && scope !== 'admin') return { allowed: false, status: 403, code: 'FORBIDDEN', message: 'this token has the read scope; the route needs an admin token' };
    return { allowed: true };
  }

  /** The widest scope the token has, or undefined for an unknown token. */
  private scopeOf(token: string): ApiScope | undefined {
    const digest = sha256(token);
    let scope: ApiScope | undefined;
    for (const entry of this.digests) {
      if (timingSafeEqual(entry.digest, digest) && scope !== 'admin') scope = entry.scope;
    }
    return scope;
  }
}

function checkToken(token: unknown, field: string): string {
  if (typeof token !== 'string' || !TOKEN.test(token)) throw new ValidationError(field, 'expected a non-empty token without whitespace');
  return token;
}

/**
 * Tokens of a secret file: one per line as `<scope> <token>`, `#` comments and blank lines
 * ignored. Errors name the variable and the line, never the line's text (it may hold a token).
 */
function readTokensFile(path: string): ApiToken[] {
  const field = 'SUNDIAL_API_TOKENS_FILE';
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new ValidationError(field, `cannot read the tokens file ${JSON.stringify(path)} (${code})`, { cause: error });
  }
  const tokens: ApiToken[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const parts = line.split(/[ \t]+/);
    const [scope, token] = parts;
    if (parts.length !== 2 || token === undefined || !SCOPES.includes(scope as ApiScope)) {
      throw new ValidationError(field, `line ${index + 1} of ${JSON.stringify(path)}: expected "<scope> <token>" with scope read or admin, e.g. "admin s3cr3t"`);
    }
    tokens.push({ scope: scope as ApiScope, token });
  });
  if (tokens.length === 0) throw new ValidationError(field, `${JSON.stringify(path)} holds no token; expected lines "<scope> <token>" with scope read or admin`);
  return tokens;
}

/**
 * The tokens the admin API accepts: `options.tokens` when given, else those of the environment —
 * `SUNDIAL_API_TOKEN` (admin scope), `SUNDIAL_API_READ_TOKEN` (read scope) and the lines of the
 * file `SUNDIAL_API_TOKENS_FILE` names (several per scope, for rotation), all of them together.
 * No token at all means the API answers loopback requests only.
 *
 * @throws ValidationError naming the variable (or `api.tokens[i]...`), never echoing a token
 */
export function resolveApiAuth(env: Readonly<Record<string, string | undefined>>, options: ApiOptions = {}): ApiAuth {
  if (options.tokens !== undefined) {
    if (!Array.isArray(options.tokens)) throw new ValidationError('api.tokens', 'expected an array of { scope, token }');
    return new ApiAuth(
      options.tokens.map((entry: ApiToken, index) => {
        if (!SCOPES.includes(entry?.scope)) throw new ValidationError(`api.tokens[${index}].scope`, 'expected "read" or "admin"');
        return { scope: entry.scope, token: checkToken(entry.token, `api.tokens[${index}].token`) };
      }),
    );
  }
  const tokens: ApiToken[] = [];
  const admin = env.SUNDIAL_API_TOKEN?.trim();
  if (admin) tokens.push({ scope: 'admin', token: checkToken(admin, 'SUNDIAL_API_TOKEN') });
  const read = env.SUNDIAL_API_READ_TOKEN?.trim();
  if (read) tokens.push({ scope: 'read', token: checkToken(read, 'SUNDIAL_API_READ_TOKEN') });
  const file = env.SUNDIAL_API_TOKENS_FILE?.trim();
  if (file) tokens.push(...readTokensFile(file));
  return new ApiAuth(tokens);
}
