import { ValidationError } from '@sundial/shared';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveCoordinatorOptions } from '../coordinator-options';
import { ApiAuth, resolveApiAuth } from './auth';

const bearer = (token: string) => `Bearer ${token}`;

describe('ApiAuth', () => {
  const auth = new ApiAuth([
    { scope: 'admin', token: 'admin-one' },
    { scope: 'admin', token: 'admin-two' },
    { scope: 'read', token: 'reader' },
  ]);

  it.each([
    ['an admin token on an admin route', bearer('admin-one'), 'admin', true],
    ['a rotated admin token', bearer('admin-two'), 'admin', true],
    ['an admin token on a read route', bearer('admin-two'), 'read', true],
    ['a read token on a read route', bearer('reader'), 'read', true],
    ['the scheme in lower case', 'bearer reader', 'read', true],
  ] as const)('allows %s', (_case, header, scope, allowed) => {
    expect(auth.authorize(header, '10.0.0.1', scope).allowed).toBe(allowed);
  });

  it.each([
    ['no header', undefined, 'read', 401],
    ['another scheme', 'Basic reader', 'read', 401],
    ['an unknown token', bearer('guess'), 'read', 401],
    ['a prefix of a token', bearer('admin'), 'read', 401],
    ['a read token on an admin route', bearer('reader'), 'admin', 403],
  ] as const)('refuses %s', (_case, header, scope, status) => {
    expect(auth.authorize(header, '127.0.0.1', scope)).toMatchObject({ allowed: false, status });
  });

  it('without tokens answers loopback addresses only', () => {
    const open = new ApiAuth([]);
    expect(open.enabled).toBe(false);
    for (const address of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) expect(open.authorize(undefined, address, 'admin').allowed).toBe(true);
    for (const address of ['10.0.0.1', '::ffff:10.0.0.1', 'fd00::2', undefined]) {
      expect(open.authorize(bearer('anything'), address, 'read')).toMatchObject({ allowed: false, status: 403, code: 'FORBIDDEN', message: expect.stringContaining('SUNDIAL_API_TOKEN') });
    }
  });
});

describe('resolveApiAuth', () => {
  let dir: string;
  const file = (text: string) => {
    const path = join(dir, 'tokens');
    writeFileSync(path, text);
    return path;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sundial-tokens-'));
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads SUNDIAL_API_TOKEN, SUNDIAL_API_READ_TOKEN and the tokens file together', () => {
    const path = file('# rotated monthly\n\nadmin  first-admin\nadmin\tsecond-admin\n  read third-reader  \n');
    const auth = resolveApiAuth({ SUNDIAL_API_TOKEN: 'env-admin', SUNDIAL_API_READ_TOKEN: 'env-reader', SUNDIAL_API_TOKENS_FILE: path });
    expect(auth.tokenCounts()).toEqual({ admin: 3, read: 2 });
    expect(auth.authorize(bearer('second-admin'), undefined, 'admin').allowed).toBe(true);
    expect(auth.authorize(bearer('third-reader'), undefined, 'admin').allowed).toBe(false);
    expect(auth.authorize(bearer('env-reader'), undefined, 'read').allowed).toBe(true);
  });

  it('has no tokens when none is configured', () => {
    expect(resolveApiAuth({ SUNDIAL_API_TOKEN: '  ' }).enabled).toBe(false);
  });

  it('prefers the tokens given as options to the environment', () => {
    const auth = resolveApiAuth({ SUNDIAL_API_TOKEN: 'env-admin' }, { tokens: [{ scope: 'read', token: 'option-reader' }] });
    expect(auth.tokenCounts()).toEqual({ admin: 0, read: 1 });
    expect(() => resolveApiAuth({}, { tokens: [{ scope: 'root' as 'read', token: 'x' }] })).toThrow(new ValidationError('api.tokens[0].scope', 'expected "read" or "admin"'));
    expect(() => resolveApiAuth({}, { tokens: [{ scope: 'read', token: 'has space' }] })).toThrow(ValidationError);
  });

  it('names the variable and the line of a bad tokens file, without echoing it', () => {
    const path = file('admin good-token\n\nsuperuser leaked-secret-value\n');
    let error: unknown;
    try {
      resolveApiAuth({ SUNDIAL_API_TOKENS_FILE: path });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe('SUNDIAL_API_TOKENS_FILE');
    expect((error as ValidationError).problem).toContain('line 3');
    expect((error as ValidationError).message).not.toContain('leaked-secret-value');
    expect((error as ValidationError).message).not.toContain('good-token');
  });

  it.each([
    ['a token without a scope', 'lonely-token\n', 'line 1'],
    ['a line with three words', 'read a b\n', 'line 1'],
    ['no token at all', '# nothing yet\n', 'holds no token'],
  ])('refuses %s', (_case, text, problem) => {
    expect(() => resolveApiAuth({ SUNDIAL_API_TOKENS_FILE: file(text) })).toThrow(expect.objectContaining({ field: 'SUNDIAL_API_TOKENS_FILE', problem: expect.stringContaining(problem) }));
  });

  it('names the variable when the file cannot be read', () => {
    expect(() => resolveApiAuth({ SUNDIAL_API_TOKENS_FILE: join(dir, 'missing') })).toThrow(expect.objectContaining({ field: 'SUNDIAL_API_TOKENS_FILE', problem: expect.stringContaining('ENOENT') }));
  });

  it('is how the coordinator options resolve the API tokens', () => {
    expect(resolveCoordinatorOptions({}, { SUNDIAL_API_TOKEN: 'from-env' }).api.enabled).toBe(true);
    expect(resolveCoordinatorOptions({ api: { tokens: [] } }, { SUNDIAL_API_TOKEN: 'from-env' }).api.enabled).toBe(false);
  });
});
