import { ApiClient, ValidationError } from '@sundial/shared';
import type { ConnectionFlags } from './connection';

/** Where a command reaches the admin API, and which flag or variable said so (for error messages). */
export interface ApiSettings {
  /** The coordinator's base URL. */
  readonly url: string;
  /** `--api` or `SUNDIAL_API_URL`. */
  readonly urlField: string;
  /** The bearer token, if any. */
  readonly token: string | undefined;
  /** `--token` or `SUNDIAL_API_TOKEN`. */
  readonly tokenField: string;
}

const blankAsUnset = (value: string | undefined): string | undefined => (value?.trim() ? value.trim() : undefined);

/**
 * Whether a command talks to the admin API, and where: `--api` over `SUNDIAL_API_URL`; undefined
 * for Redis. An explicit `--redis-url` wins over `SUNDIAL_API_URL`; `--api` with `--redis-url`
 * is an error, as are `--namespace` (the API serves its coordinator's namespace) and `--token`
 * without an API.
 *
 * @throws ValidationError naming the flags
 */
export function resolveApiSettings(flags: ConnectionFlags, env: Readonly<Record<string, string | undefined>>): ApiSettings | undefined {
  if (flags.api !== undefined && flags.redisUrl !== undefined) {
    throw new ValidationError('--api', 'cannot be used with --redis-url: talk to a coordinator\'s API or to Redis, not both');
  }
  const fromEnv = flags.redisUrl === undefined ? blankAsUnset(env.SUNDIAL_API_URL) : undefined;
  const url = flags.api ?? fromEnv;
  if (url === undefined) {
    if (flags.token !== undefined) throw new ValidationError('--token', 'is the token of an admin API; give its URL with --api (or SUNDIAL_API_URL)');
    return undefined;
  }
  const urlField = flags.api === undefined ? 'SUNDIAL_API_URL' : '--api';
  if (flags.namespace !== undefined) {
    throw new ValidationError('--namespace', `cannot be used with ${urlField}: the API serves the namespace of its coordinator`);
  }
  const token = flags.token ?? blankAsUnset(env.SUNDIAL_API_TOKEN);
  return { url, urlField, token, tokenField: flags.token === undefined ? 'SUNDIAL_API_TOKEN' : '--token' };
}

/**
 * An `ApiClient` for the settings; a bad URL or token is reported in terms of its flag.
 *
 * @throws ValidationError naming the flag or variable
 */
export function createApiClient(settings: ApiSettings): ApiClient {
  try {
    return new ApiClient({ url: settings.url, token: settings.token });
  } catch (error) {
    if (error instanceof ValidationError && (error.field === 'url' || error.field === 'token')) {
      throw new ValidationError(error.field === 'url' ? settings.urlField : settings.tokenField, error.problem, { cause: error });
    }
    throw error;
  }
}
