import { Cluster, Redis } from 'ioredis';
import { createRedisConnection, duplicateRedisConnection } from './connection';
import { describeRedisTarget, isCluster, isRedisConnection, parseRedisNodes, resolveRedisTarget, type RedisTarget } from './redis-target';
import { clusterConnectionOptions, sentinelConnectionOptions } from './topology-options';
import { validationErrorOf } from '../../../../test/support/errors';


describe('resolveRedisTarget', () => {
  it.each<[Record<string, string>, RedisTarget]>([
    [{}, { kind: 'standalone', url: 'redis://127.0.0.1:6379' }],
    [{ REDIS_URL: ' ', REDIS_SENTINELS: '', REDIS_CLUSTER_NODES: '  ' }, { kind: 'standalone', url: 'redis://127.0.0.1:6379' }],
    [{ REDIS_URL: 'rediss://alice:pw@cache:6380/2' }, { kind: 'standalone', url: 'rediss://alice:pw@cache:6380/2' }],
    [{ REDIS_SENTINELS: '10.0.0.1:26379, 10.0.0.2:26380', REDIS_SENTINEL_NAME: 'main' }, { kind: 'sentinel', name: 'main', sentinels: [{ host: '10.0.0.1', port: 26379 }, { host: '10.0.0.2', port: 26380 }] }],
    [
      {
        REDIS_SENTINELS: 'sentinel-0.redis:26379',
        REDIS_SENTINEL_NAME: 'main',
        REDIS_SENTINEL_USERNAME: 'watcher',
        REDIS_SENTINEL_PASSWORD: 'spw',
        REDIS_USERNAME: 'sundial',
        REDIS_PASSWORD: 'dpw',
        REDIS_DB: '3',
        REDIS_TLS: 'true',
      },
      {
        kind: 'sentinel',
        name: 'main',
        sentinels: [{ host: 'sentinel-0.redis', port: 26379 }],
        sentinelUsername: 'watcher',
        sentinelPassword: 'spw',
        username: 'sundial',
        password: 'dpw',
        db: 3,
        tls: true,
      },
    ],
    [{ REDIS_CLUSTER_NODES: '[::1]:7000,127.0.0.1:7001' }, { kind: 'cluster', nodes: [{ host: '::1', port: 7000 }, { host: '127.0.0.1', port: 7001 }] }],
    [{ REDIS_CLUSTER_NODES: 'node:7000', REDIS_PASSWORD: 'pw', REDIS_TLS: 'false' }, { kind: 'cluster', nodes: [{ host: 'node', port: 7000 }], password: 'pw', tls: false }],
  ])('%j', (env, target) => {
    expect(resolveRedisTarget(env)).toEqual(target);
  });

  it('reads process.env by default', () => {
    expect(resolveRedisTarget()).toEqual(resolveRedisTarget(process.env));
  });

  it.each<[string, Record<string, string>, string, RegExp]>([
    ['a URL and cluster nodes', { REDIS_URL: 'redis://cache', REDIS_CLUSTER_NODES: 'a:1' }, 'REDIS_CLUSTER_NODES', /cannot be combined with REDIS_URL/],
    ['a URL and sentinels', { REDIS_URL: 'redis://cache', REDIS_SENTINELS: 'a:1', REDIS_SENTINEL_NAME: 'm' }, 'REDIS_SENTINELS', /cannot be combined with REDIS_URL/],
    ['sentinels and cluster nodes', { REDIS_SENTINELS: 'a:1', REDIS_SENTINEL_NAME: 'm', REDIS_CLUSTER_NODES: 'b:2' }, 'REDIS_CLUSTER_NODES', /cannot be combined with REDIS_SENTINELS/],
    ['sentinels without a name', { REDIS_SENTINELS: 'a:1' }, 'REDIS_SENTINEL_NAME', /is required with REDIS_SENTINELS/],
    ['a name without sentinels', { REDIS_SENTINEL_NAME: 'm' }, 'REDIS_SENTINEL_NAME', /applies only with REDIS_SENTINELS/],
    ['a sentinel password with cluster nodes', { REDIS_CLUSTER_NODES: 'a:1', REDIS_SENTINEL_PASSWORD: 'x' }, 'REDIS_SENTINEL_PASSWORD', /applies only with REDIS_SENTINELS/],
    ['a sentinel name with a URL', { REDIS_URL: 'redis://cache', REDIS_SENTINEL_NAME: 'm' }, 'REDIS_SENTINEL_NAME', /applies only with REDIS_SENTINELS/],
    ['a password with a URL', { REDIS_URL: 'redis://cache', REDIS_PASSWORD: 'x' }, 'REDIS_PASSWORD', /put the user name, password and database in the URL/],
    ['a user name with a URL', { REDIS_URL: 'redis://cache', REDIS_USERNAME: 'x' }, 'REDIS_USERNAME', /in the URL/],
    ['TLS with a URL', { REDIS_URL: 'redis://cache', REDIS_TLS: 'true' }, 'REDIS_TLS', /use rediss:\/\//],
    ['a password with nothing to connect to', { REDIS_PASSWORD: 'x' }, 'REDIS_PASSWORD', /set REDIS_URL/],
    ['a database with a cluster', { REDIS_CLUSTER_NODES: 'a:1', REDIS_DB: '1' }, 'REDIS_DB', /database 0 only/],
    ['a database that is no number', { REDIS_SENTINELS: 'a:1', REDIS_SENTINEL_NAME: 'm', REDIS_DB: 'two' }, 'REDIS_DB', /expected a database number/],
    ['TLS that is not true or false', { REDIS_CLUSTER_NODES: 'a:1', REDIS_TLS: 'yes' }, 'REDIS_TLS', /expected true or false, got "yes"/],
    ['an entry without a port', { REDIS_CLUSTER_NODES: '127.0.0.1:7000,cache' }, 'REDIS_CLUSTER_NODES', /"cache" is not host:port/],
    ['a port out of range', { REDIS_SENTINELS: 'a:0', REDIS_SENTINEL_NAME: 'm' }, 'REDIS_SENTINELS', /"a:0" is not host:port with a port of 1-65535/],
    ['a port that is no number', { REDIS_CLUSTER_NODES: 'a:port' }, 'REDIS_CLUSTER_NODES', /"a:port"/],
    ['an unbracketed IPv6 address', { REDIS_CLUSTER_NODES: '::1:7000' }, 'REDIS_CLUSTER_NODES', /"::1:7000"/],
    ['an empty entry', { REDIS_CLUSTER_NODES: 'a:1,,b:2' }, 'REDIS_CLUSTER_NODES', /entry 2 is empty/],
    ['a list of commas', { REDIS_SENTINELS: ',', REDIS_SENTINEL_NAME: 'm' }, 'REDIS_SENTINELS', /lists no server/],
    ['a malformed URL', { REDIS_URL: 'http://cache' }, 'REDIS_URL', /scheme must be redis:\/\//],
  ])('refuses %s, naming the setting', (_name, env, field, problem) => {
    const error = validationErrorOf(() => resolveRedisTarget(env));
    expect(error.field).toBe(field);
    expect(error.message).toMatch(new RegExp(`^${field}: `));
    expect(error.message).toMatch(problem);
  });

  it('never shows a password in an error', () => {
    for (const env of [{ REDIS_URL: 'redis://cache', REDIS_PASSWORD: 'topsecret' }, { REDIS_SENTINELS: 'a:1', REDIS_SENTINEL_PASSWORD: 'topsecret' }, { REDIS_URL: 'http://u:topsecret@cache' }]) {
      expect(validationErrorOf(() => resolveRedisTarget(env)).message).not.toContain('topsecret');
    }
  });
});

describe('parseRedisNodes', () => {
  it('keeps the order and trims the entries', () => {
    expect(parseRedisNodes(' a:1 ,b:2,[fe80::1]:3', 'NODES')).toEqual([
      { host: 'a', port: 1 },
      { host: 'b', port: 2 },
      { host: 'fe80::1', port: 3 },
    ]);
  });
});

describe('describeRedisTarget', () => {
  it.each<[RedisTarget, string]>([
    [{ kind: 'standalone', url: 'redis://alice:secret@cache:6379/2' }, 'redis://alice:***@cache:6379/2'],
    [{ kind: 'sentinel', name: 'main', sentinels: [{ host: 'a', port: 26379 }, { host: '::1', port: 26380 }], password: 'secret', sentinelPassword: 'secret' }, 'sentinel "main" via a:26379,[::1]:26380'],
    [{ kind: 'sentinel', name: 'main', sentinels: [{ host: 'a', port: 26379 }], username: 'sundial', db: 2, tls: true }, 'sentinel "main" db 2 via a:26379 as sundial (TLS)'],
    [{ kind: 'cluster', nodes: [{ host: 'n1', port: 7000 }, { host: 'n2', port: 7001 }], password: 'secret' }, 'cluster via n1:7000,n2:7001'],
  ])('%j is %s', (target, description) => {
    expect(describeRedisTarget(target)).toBe(description);
    expect(description).not.toContain('secret');
  });
});

describe('connection options per topology', () => {
  it('asks the sentinels for the primary, with the credentials of each', () => {
    const options = sentinelConnectionOptions(
      { kind: 'sentinel', name: 'main', sentinels: [{ host: 'a', port: 26379 }], username: 'u', password: 'p', sentinelPassword: 'sp', db: 1 },
      { connectionName: 'sundial:test', blocking: true },
    );
    expect(options).toMatchObject({
      name: 'main',
      sentinels: [{ host: 'a', port: 26379 }],
      username: 'u',
      password: 'p',
      sentinelPassword: 'sp',
      db: 1,
      connectionName: 'sundial:test',
      maxRetriesPerRequest: null,
    });
    expect(options.failoverDetector).toBeUndefined();
    expect(options.tls).toBeUndefined();
    expect(options.sentinelRetryStrategy?.(20)).toBe(2_000);
  });

  it('puts the per-node options of a cluster under redisOptions', () => {
    const { nodes, options } = clusterConnectionOptions({ kind: 'cluster', nodes: [{ host: 'n', port: 7000 }], password: 'p', tls: true }, { tls: { rejectUnauthorized: false } });
    expect(nodes).toEqual([{ host: 'n', port: 7000 }]);
    expect(options.redisOptions).toMatchObject({ password: 'p', tls: { rejectUnauthorized: false }, connectionName: 'sundial', maxRetriesPerRequest: 20 });
    expect(options.clusterRetryStrategy?.(1, undefined)).toBe(200);
  });

  it('refuses TLS options unless REDIS_TLS is true', () => {
    const error = validationErrorOf(() => clusterConnectionOptions({ kind: 'cluster', nodes: [{ host: 'n', port: 7000 }] }, { tls: { rejectUnauthorized: false } }));
    expect(error.field).toBe('REDIS_TLS');
  });
});

describe('connections per topology', () => {
  it('builds a Redis for a URL or sentinels and a Cluster for cluster nodes, and duplicates each as its kind', () => {
    const standalone = createRedisConnection({ kind: 'standalone', url: 'redis://127.0.0.1:1' }, { lazyConnect: true });
    const sentinel = createRedisConnection({ kind: 'sentinel', name: 'main', sentinels: [{ host: '127.0.0.1', port: 1 }] }, { lazyConnect: true });
    const cluster = createRedisConnection({ kind: 'cluster', nodes: [{ host: '127.0.0.1', port: 1 }] }, { lazyConnect: true, connectionName: 'sundial:test' });
    const copy = duplicateRedisConnection(cluster, { connectionName: 'sundial:copy', blocking: true, lazyConnect: true });
    try {
      expect(standalone).toBeInstanceOf(Redis);
      expect(sentinel).toBeInstanceOf(Redis);
      expect(sentinel.options).toMatchObject({ name: 'main', sentinels: [{ host: '127.0.0.1', port: 1 }] });
      expect(cluster).toBeInstanceOf(Cluster);
      expect(copy).toBeInstanceOf(Cluster);
      expect((copy as Cluster).options.redisOptions).toMatchObject({ connectionName: 'sundial:copy', maxRetriesPerRequest: null });
      expect((cluster as Cluster).options.redisOptions).toMatchObject({ connectionName: 'sundial:test', maxRetriesPerRequest: 20 });
      expect([standalone, sentinel, cluster].map(isRedisConnection)).toEqual([true, true, true]);
      expect([standalone, sentinel, cluster].map(isCluster)).toEqual([false, false, true]);
      expect(isRedisConnection('redis://cache')).toBe(false);
      expect(isRedisConnection({ kind: 'cluster', nodes: [] })).toBe(false);
    } finally {
      for (const connection of [standalone, sentinel, cluster, copy]) connection.disconnect();
    }
  });
});
