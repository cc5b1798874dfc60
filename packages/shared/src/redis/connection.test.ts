import {
  createRedisConnection,
  DEFAULT_REDIS_URL,
  reconnectDelayMs,
  redactRedisUrl,
  redisConnectionOptions,
  redisOptionsFromUrl,
  resolveRedisUrl,
} from './connection';
import { RedisConnectionError } from './redis-connection-error';
import { validationErrorOf } from '../../../../test/support/errors';


describe('resolveRedisUrl', () => {
  it.each([
    [{}, DEFAULT_REDIS_URL],
    [{ REDIS_URL: '' }, DEFAULT_REDIS_URL],
    [{ REDIS_URL: '  ' }, DEFAULT_REDIS_URL],
    [{ REDIS_URL: 'redis://cache:6380/1' }, 'redis://cache:6380/1'],
    [{ REDIS_URL: ' rediss://cache ' }, 'rediss://cache'],
  ])('%j gives %s', (env, url) => {
    expect(resolveRedisUrl(env)).toBe(url);
  });

  it('reads process.env by default', () => {
    expect(resolveRedisUrl()).toBe(resolveRedisUrl(process.env));
  });
});

describe('redisOptionsFromUrl', () => {
  it.each([
    ['redis://localhost', { host: 'localhost', port: 6379 }],
    ['redis://127.0.0.1:6380', { host: '127.0.0.1', port: 6380 }],
    ['redis://cache/', { host: 'cache', port: 6379 }],
    ['redis://cache:6379/0', { host: 'cache', port: 6379, db: 0 }],
    ['redis://cache/15', { host: 'cache', port: 6379, db: 15 }],
    ['redis://:s3cret@cache', { host: 'cache', port: 6379, password: 's3cret' }],
    ['redis://alice:s3cret@cache:7000/2', { host: 'cache', port: 7000, username: 'alice', password: 's3cret', db: 2 }],
    ['redis://alice@cache', { host: 'cache', port: 6379, username: 'alice', password: '' }],
    ['redis://al%40ce:p%40ss%3Aw%2Frd@cache', { host: 'cache', port: 6379, username: 'al@ce', password: 'p@ss:w/rd' }],
    ['redis://[::1]:6380/2', { host: '::1', port: 6380, db: 2 }],
    ['redis://[2001:db8::7]', { host: '2001:db8::7', port: 6379 }],
    ['REDIS://Cache', { host: 'Cache', port: 6379 }],
    ['  redis://cache  ', { host: 'cache', port: 6379 }],
    ['rediss://cache.example.com:6380', { host: 'cache.example.com', port: 6380, tls: { servername: 'cache.example.com' } }],
    ['rediss://default:pw@cache.example.com/1', { host: 'cache.example.com', port: 6379, username: 'default', password: 'pw', db: 1, tls: { servername: 'cache.example.com' } }],
    ['rediss://10.0.0.7', { host: '10.0.0.7', port: 6379, tls: {} }],
    ['rediss://[::1]:6390', { host: '::1', port: 6390, tls: {} }],
  ])('%s', (url, options) => {
    expect(redisOptionsFromUrl(url)).toEqual(options);
  });

  it.each([
    ['', /not a valid URL/],
    ['cache:6379', /scheme must be redis:\/\/ or rediss:\/\/, not cache:\/\//],
    ['http://cache', /scheme must be redis:\/\/ or rediss:\/\/, not http:\/\//],
    ['unix:///var/run/redis.sock', /scheme must be redis:\/\/ or rediss:\/\//],
    ['redis://', /names no host/],
    ['redis:///2', /names no host/],
    ['redis:cache', /names no host/],
    ['redis://cache:0', /port must be 1-65535, not 0/],
    ['redis://cache:99999', /not a valid URL/],
    ['redis://cache:port', /not a valid URL/],
    ['redis://cache/db2', /path must be a database number such as \/2, not "\/db2"/],
    ['redis://cache/2/3', /path must be a database number/],
    ['redis://cache/-1', /path must be a database number/],
    ['redis://cache?db=2', /query parameters and fragments are not supported/],
    ['redis://cache#x', /query parameters and fragments are not supported/],
    ['redis://:%E0%A4%A@cache', /password is not valid percent-encoding/],
    ['redis://%E0%A4%A:pw@cache', /user name is not valid percent-encoding/],
  ])('rejects %j', (url, problem) => {
    const error = validationErrorOf(() => redisOptionsFromUrl(url));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.field).toBe('REDIS_URL');
    expect(error.message).toMatch(/^REDIS_URL: /);
    expect(error.message).toMatch(problem);
    expect(error.message).toMatch(/expected redis:\/\/\[\[user\]:password@\]host\[:port\]\[\/db\]/);
  });

  it('never shows the password in an error', () => {
    for (const url of ['http://alice:topsecret@cache', 'redis://:topsecret@cache/x', 'redis://alice:topsecret@cache:0']) {
      const error = validationErrorOf(() => redisOptionsFromUrl(url));
      expect(error.message).not.toContain('topsecret');
      expect(error.message).toContain(':***@');
    }
  });
});

describe('redactRedisUrl', () => {
  it.each([
    ['redis://cache:6379', 'redis://cache:6379'],
    ['redis://alice@cache', 'redis://alice@cache'],
    ['redis://:pw@cache/2', 'redis://:***@cache/2'],
    ['rediss://alice:pw@cache:6380', 'rediss://alice:***@cache:6380'],
    ['redis://alice:p@ss:w@rd@cache', 'redis://alice:***@cache'],
    ['not a url', 'not a url'],
  ])('%s is %s', (url, redacted) => {
    expect(redactRedisUrl(url)).toBe(redacted);
  });
});

describe('reconnectDelayMs', () => {
  it.each([
    [0, 200],
    [1, 200],
    [2, 400],
    [5, 1_000],
    [10, 2_000],
    [1_000, 2_000],
  ])('attempt %i waits %i ms', (attempt, ms) => {
    expect(reconnectDelayMs(attempt)).toBe(ms);
  });
});

describe('redisConnectionOptions', () => {
  it('applies the defaults', () => {
    const options = redisConnectionOptions('redis://cache/1');
    expect(options).toMatchObject({
      host: 'cache',
      port: 6379,
      db: 1,
      connectionName: 'sundial',
      lazyConnect: false,
      enableReadyCheck: true,
      maxRetriesPerRequest: 20,
    });
    expect(options.retryStrategy?.(3)).toBe(600);
  });

  it('lets commands wait forever on a blocking connection, as BullMQ workers require', () => {
    expect(redisConnectionOptions('redis://cache', { blocking: true }).maxRetriesPerRequest).toBeNull();
  });

  it('takes a connection name and lazy connecting', () => {
    expect(redisConnectionOptions('redis://cache', { connectionName: 'sundial:coordinator', lazyConnect: true })).toMatchObject({
      connectionName: 'sundial:coordinator',
      lazyConnect: true,
    });
  });

  it.each(['', 'sundial coordinator', 'sundial\n'])('rejects the connection name %j', (connectionName) => {
    expect(validationErrorOf(() => redisConnectionOptions('redis://cache', { connectionName })).field).toBe('connectionName');
  });

  it('reconnects on READONLY replies only', () => {
    const reconnect = redisConnectionOptions('redis://cache').reconnectOnError;
    expect(reconnect?.(new Error("READONLY You can't write against a read only replica."))).toBe(true);
    expect(reconnect?.(new Error('ERR unknown command'))).toBe(false);
  });

  it('merges TLS options over those of a rediss:// URL', () => {
    const ca = '-----BEGIN CERTIFICATE-----';
    expect(redisConnectionOptions('rediss://cache.example.com', { tls: { ca, rejectUnauthorized: false } }).tls).toEqual({
      servername: 'cache.example.com',
      ca,
      rejectUnauthorized: false,
    });
  });

  it('refuses TLS options with a redis:// URL', () => {
    const error = validationErrorOf(() => redisConnectionOptions('redis://cache', { tls: { rejectUnauthorized: false } }));
    expect(error.field).toBe('REDIS_URL');
    expect(error.message).toMatch(/use rediss:\/\/ to connect with TLS/);
  });
});

describe('createRedisConnection', () => {
  it('builds an ioredis client with those options, connecting only when asked', async () => {
    const redis = createRedisConnection('redis://alice:pw@127.0.0.1:1/4', { connectionName: 'sundial:test', lazyConnect: true });
    try {
      expect(redis.status).toBe('wait');
      expect(redis.options).toMatchObject({ host: '127.0.0.1', port: 1, username: 'alice', password: 'pw', db: 4, connectionName: 'sundial:test' });
    } finally {
      redis.disconnect();
    }
  });
});

describe('RedisConnectionError', () => {
  it.each([
    [Object.assign(new Error('WRONGPASS invalid username-password pair or user is disabled.'), { name: 'ReplyError' }), /check the user name and password in REDIS_URL/],
    [new Error('NOAUTH Authentication required.'), /check the user name and password/],
    [Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }), /is Redis running/],
    [Object.assign(new Error('getaddrinfo ENOTFOUND nowhere'), { code: 'ENOTFOUND' }), /check the host name/],
    [Object.assign(new Error('self-signed certificate in certificate chain'), { code: 'SELF_SIGNED_CERT_IN_CHAIN' }), /trust its certificate authority/],
  ])('explains %s', (cause, hint) => {
    const error = new RedisConnectionError('redis://:***@cache', cause);
    expect(error.code).toBe('REDIS_CONNECTION_FAILED');
    expect(error.cause).toBe(cause);
    expect(error.message).toContain(`could not connect to Redis at redis://:***@cache: ${cause.message}`);
    expect(error.message).toMatch(hint);
  });

  it('adds no hint it does not have', () => {
    expect(new RedisConnectionError('redis://cache', 'odd').message).toBe('could not connect to Redis at redis://cache: odd');
  });
});
