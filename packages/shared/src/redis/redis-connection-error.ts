import { SundialError } from '../errors';

/** Error codes of Node's TLS layer that mean the server's certificate did not verify. */
const CERTIFICATE_CODES = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}

/** Where the credentials of a setting's servers come from, for hints. */
function credentialsOf(setting: string): string {
  return setting === 'REDIS_URL' || setting === '--redis-url' ? setting : 'REDIS_USERNAME and REDIS_PASSWORD';
}

/** What to check, from the underlying error: a Redis reply's error code or a Node error code. */
function hintFor(cause: unknown, setting: string): string {
  const message = cause instanceof Error ? cause.message : '';
  // A Redis error reply starts with its code (WRONGPASS, NOAUTH, ...), a stable part of the protocol.
  const replyCode = /^[A-Z]+\b/.exec(message)?.[0];
  if (replyCode === 'WRONGPASS' || replyCode === 'NOAUTH') return `check the user name and password in ${credentialsOf(setting)}`;
  if (replyCode === 'NOPERM') return 'the Redis user lacks a permission Sundial needs';
  if (message.startsWith('All sentinels are unreachable')) return `no sentinel answered; are the sentinels running, and are the hosts and ports in ${setting} right?`;
  if (message.startsWith('None of startup nodes is available')) return `no cluster node answered; is the cluster running, and are the hosts and ports in ${setting} right?`;
  if (message.includes('Failed to refresh slots cache')) return `no node of ${setting} gave the cluster's slots; is it a Redis Cluster (cluster-enabled yes) with every slot assigned?`;
  const code = errorCode(cause);
  if (code === 'ECONNREFUSED') return `is Redis running, and are the host and port in ${setting} right?`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `check the host name in ${setting}`;
  if (code === 'ETIMEDOUT') return 'the server did not answer; check the host, port and firewalls';
  if (code !== undefined && CERTIFICATE_CODES.has(code)) {
    return "the server's TLS certificate did not verify; trust its certificate authority (the tls.ca option or NODE_EXTRA_CA_CERTS)";
  }
  if (code === 'ECONNRESET' || code === 'EPROTO') return 'the connection was cut; does the server expect TLS (rediss://) or not (redis://)?';
  return '';
}

/**
 * Sundial could not connect to Redis: it is unreachable (no sentinel or cluster node answered),
 * refused the credentials, or the TLS handshake failed. The message names the server (a URL
 * without its password, or a description of the sentinels or cluster nodes), the reason and what
 * to check; for Sentinel and Cluster it opens with the setting (`REDIS_SENTINELS: ...`). `cause`
 * holds the underlying error.
 */
export class RedisConnectionError extends SundialError {
  readonly code = 'REDIS_CONNECTION_FAILED';

  /**
   * @param url - the URL, already redacted (see `redactRedisUrl`), or the target's description
   *   (see `describeRedisTarget`)
   * @param cause - the error ioredis or Node reported
   * @param setting - the setting or flag the servers came from: `REDIS_URL` (the default, not
   *   repeated in the message), `REDIS_SENTINELS`, `REDIS_CLUSTER_NODES` or a flag
   */
  constructor(
    readonly url: string,
    cause: unknown,
    readonly setting = 'REDIS_URL',
  ) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    const hint = hintFor(cause, setting);
    const opening = setting === 'REDIS_URL' ? '' : `${setting}: `;
    super(`${opening}could not connect to Redis at ${url}: ${reason}${hint ? ` (${hint})` : ''}`, { cause });
  }
}
