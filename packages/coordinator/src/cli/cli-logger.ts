import { createProcessLogger } from '@sundial/shared';
import type { Logger } from '../logger';
import type { CliContext } from './cli-context';

/**
 * A logger for a long-running command on the context's stderr, so stdout stays for results (see
 * `createProcessLogger` for the level and format variables).
 *
 * @throws ValidationError naming `SUNDIAL_LOG_LEVEL` or `SUNDIAL_LOG_FORMAT` for an unknown value
 */
export function createCliLogger(name: string, context: CliContext): Logger {
  return createProcessLogger({ name, env: context.env, destination: context.stderr });
}
