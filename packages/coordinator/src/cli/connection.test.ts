import { ValidationError } from '@sundial/shared';
import { resolveConnection } from './connection';
import { thrownBy } from '../../../../test/support/errors';


describe('resolveConnection', () => {
  it('falls back to the defaults', () => {
    expect(resolveConnection({}, {})).toEqual({ url: 'redis://127.0.0.1:6379', urlField: 'REDIS_URL', namespace: 'default' });
  });

  it('reads REDIS_URL and SUNDIAL_NAMESPACE, a blank one counting as unset', () => {
    expect(resolveConnection({}, { REDIS_URL: 'redis://cache:6380/2', SUNDIAL_NAMESPACE: 'billing' })).toMatchObject({ url: 'redis://cache:6380/2', namespace: 'billing' });
    expect(resolveConnection({}, { REDIS_URL: ' ', SUNDIAL_NAMESPACE: '' })).toMatchObject({ url: 'redis://127.0.0.1:6379', namespace: 'default' });
  });

  it('takes the flags over the environment', () => {
    const env = { REDIS_URL: 'redis://cache:6380', SUNDIAL_NAMESPACE: 'billing' };
    expect(resolveConnection({ redisUrl: 'rediss://secure:6379', namespace: 'ops' }, env)).toEqual({ url: 'rediss://secure:6379', urlField: '--redis-url', namespace: 'ops' });
  });

  it.each<[string, Parameters<typeof resolveConnection>[0], Record<string, string>, string]>([
    ['a URL flag of another scheme', { redisUrl: 'http://cache' }, {}, '--redis-url'],
    ['a REDIS_URL of another scheme', {}, { REDIS_URL: 'http://cache' }, 'REDIS_URL'],
    ['a namespace flag with a colon', { namespace: 'a:b' }, {}, '--namespace'],
    ['a SUNDIAL_NAMESPACE with a space', {}, { SUNDIAL_NAMESPACE: 'a b' }, 'SUNDIAL_NAMESPACE'],
  ])('rejects %s, naming %s', (_name, flags, env, field) => {
    const error = thrownBy(() => resolveConnection(flags, env));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ field });
  });

  it('never shows the password of a bad URL', () => {
    const error = thrownBy(() => resolveConnection({ redisUrl: 'redis://user:s3cret@cache:99999' }, {}));
    expect((error as Error).message).not.toContain('s3cret');
  });
});
