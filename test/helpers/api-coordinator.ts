import { startCoordinator, type Coordinator } from '@sundial/coordinator';
import type { Logger } from 'pino';
import { testRedisUrl } from '../support/namespace';

/** The bearer tokens of an API coordinator. */
export interface ApiTokens {
  readonly admin: string;
  readonly read: string;
}

/**
 * A coordinator on the test Redis serving its admin API on a free port with an `admin` and a
 * `read` token, and a short sleep so requests are taken quickly.
 */
export function startApiCoordinator(namespace: string, tokens: ApiTokens, logger: Logger): Promise<Coordinator> {
  return startCoordinator(
    {
      connection: testRedisUrl(),
      namespace,
      port: 0,
      maxSleepMs: 200,
      api: {
        tokens: [
          { scope: 'admin', token: tokens.admin },
          { scope: 'read', token: tokens.read },
        ],
      },
    },
    logger,
  );
}
