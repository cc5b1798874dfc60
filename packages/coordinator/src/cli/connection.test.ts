import { ValidationError } from '@sundial/shared';
import { resolveConnection } from './connection';
import { thrownBy } from '../../../../test/support/errors';


describe('resolveConnection', () => {
  it('falls back to the defaults', () => {
    expect(resolveConnection({}, {})).toEqual({ target: { kind: 'standalone', url: 'redis://127.0.0.1:6379' }, urlField: 'REDIS_URL', namespace: 'default' });
  });

  it('reads REDIS_URL and SUNDIAL_NAMESPACE, a blank one counting as unset', () => {
    expect(resolveConnection({}, { REDIS_URL: 'redis://cache:6380/2', SUNDIAL_NAMESPACE: 'billing' })).toMatchObject({ target: { url: 'redis://cache:6380/2' }, namespace: 'billing' });
    expect(resolveConnection({}, { REDIS_URL: ' ', SUNDIAL_NAMESPACE: '' })).toMatchObject({ target: { url: 'redis://127.0.0.1:6379' }, namespace: 'default' });
  });

  it('takes the flags over the environment', () => {
    const env = { REDIS_URL: 'redis://cache:6380', SUNDIAL_NAMESPACE: 'billing' };
    expect(resolveConnection({ redisUrl: 'rediss://secure:6379', namespace: 'ops' }, env)).toEqual({ target: { kind: 'standalone', url: 'rediss://secure:6379' }, urlField: '--redis-url', namespace: 'ops' });
  });

  it.each<[string, Parameters<typeof resolveConnection>[0], Record<string, string>, string]>([
    ['a URL flag of another scheme', { redisUrl: 'http://cache' }, {}, '--redis-url'],
    ['a REDIS_URL of another scheme', {}, { REDIS_URL: 'http://cache' }, 'REDIS_URL'],
    ['a namespace flag with a colon', { namespace: 'a:b' }, {}, '--namespace'],
    ['a SUNDIAL_NAMESPACE with a space', {}, { SUNDIAL_NAMESPACE: 'a b' }, 'SUNDIAL_NAMESPACE'],
    ['REDIS_SENTINELS without REDIS_SENTINEL_NAME', {}, { REDIS_SENTINELS: '127.0.0.1:26379' }, 'REDIS_SENTINEL_NAME'],
    ['a malformed REDIS_CLUSTER_NODES entry', {}, { REDIS_CLUSTER_NODES: '127.0.0.1:7000,cache' }, 'REDIS_CLUSTER_NODES'],
    ['--redis-url with REDIS_CLUSTER_NODES', { redisUrl: 'redis://cache' }, { REDIS_CLUSTER_NODES: '127.0.0.1:7000' }, '--redis-url'],
    ['--redis-url with REDIS_SENTINELS', { redisUrl: 'redis://cache' }, { REDIS_SENTINELS: '127.0.0.1:26379', REDIS_SENTINEL_NAME: 'main' }, '--redis-url'],
    ['--redis-url with REDIS_PASSWORD', { redisUrl: 'redis://cache' }, { REDIS_PASSWORD: 'pw' }, 'REDIS_PASSWORD'],
  ])('rejects %s, naming %s', (_name, flags, env, field) => {
    const error = thrownBy(() => resolveConnection(flags, env));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ field });
  });

  it('reads a cluster or a sentinel set from the environment, naming its setting', () => {
    expect(resolveConnection({}, { REDIS_CLUSTER_NODES: '10.0.0.1:7000,10.0.0.2:7000' })).toEqual({
      target: { kind: 'cluster', nodes: [{ host: '10.0.0.1', port: 7000 }, { host: '10.0.0.2', port: 7000 }] },
      urlField: 'REDIS_CLUSTER_NODES',
      namespace: 'default',
    });
    expect(resolveConnection({}, { REDIS_SENTINELS: '10.0.0.1:26379', REDIS_SENTINEL_NAME: 'main' })).toMatchObject({
      target: { kind: 'sentinel', name: 'main', sentinels: [{ host: '10.0.0.1', port: 26379 }] },
      urlField: 'REDIS_SENTINELS',
    });
  });

  it('names both the flag and the variable when they conflict', () => {
    const error = thrownBy(() => resolveConnection({ redisUrl: 'redis://cache' }, { REDIS_CLUSTER_NODES: '127.0.0.1:7000' }));
    expect((error as Error).message).toMatch(/^--redis-url: cannot be combined with REDIS_CLUSTER_NODES/);
  });

  it('says --redis-url, not REDIS_URL, when an environment setting contradicts the flag', () => {
    const error = thrownBy(() => resolveConnection({ redisUrl: 'redis://cache' }, { REDIS_PASSWORD: 'pw' }));
    expect((error as Error).message).toMatch(/^REDIS_PASSWORD: cannot be combined with --redis-url/);
    expect((error as Error).message).not.toContain('pw');
  });

  it('never shows the password of a bad URL', () => {
    const error = thrownBy(() => resolveConnection({ redisUrl: 'redis://user:s3cret@cache:99999' }, {}));
    expect((error as Error).message).not.toContain('s3cret');
  });
});
