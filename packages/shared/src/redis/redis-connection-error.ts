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

/** What to check, from the underlying error: a Redis reply's error code or a Node error code. */
function hintFor(cause: unknown): string {
  const message = cause instanceof Error ? cause.message : '';
  // A Redis error reply starts with its code (WRONGPASS, NOAUTH, ...), a stable part of the protocol.
  const replyCode = /^[A-Z]+\b/.exec(message)?.[0];
  if (replyCode === 'WRONGPASS' || replyCode === 'NOAUTH') return 'check the user name and password in REDIS_URL';
  if (replyCode === 'NOPERM') return 'the Redis user lacks a permission Sundial needs';
  const code = errorCode(cause);
  if (code === 'ECONNREFUSED') return 'is Redis running, and are the host and port in REDIS_URL right?';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'check the host name in REDIS_URL';
  if (code === 'ETIMEDOUT') return 'the server did not answer; check the host, port and firewalls';
  if (code !== undefined && CERTIFICATE_CODES.has(code)) {
    return "the server's TLS certificate did not verify; trust its certificate authority (the tls.ca option or NODE_EXTRA_CA_CERTS)";
  }
  if (code === 'ECONNRESET' || code === 'EPROTO') return 'the connection was cut; does the server expect TLS (rediss://) or not (redis://)?';
  return '';
}

/**
 * Sundial could not connect to Redis: it is unreachable, refused the credentials, or the TLS
 * handshake failed. The message names the URL (without its password), the reason and what to
 * check; `cause` holds the underlying error.
 */
export class RedisConnectionError extends SundialError {
  readonly code = 'REDIS_CONNECTION_FAILED';

  /**
   * @param url - the URL, already redacted (see `redactRedisUrl`)
   * @param cause - the error ioredis or Node reported
   */
  constructor(
    readonly url: string,
    cause: unknown,
  ) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    const hint = hintFor(cause);
    super(`could not connect to Redis at ${url}: ${reason}${hint ? ` (${hint})` : ''}`, { cause });
  }
}
