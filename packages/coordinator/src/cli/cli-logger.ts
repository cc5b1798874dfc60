import { ValidationError } from '@sundial/shared';
import pino from 'pino';
import type { Logger } from '../logger';
import type { CliContext } from './cli-context';

/**
 * A logger for a long-running command: pino JSON lines on the context's stderr, so stdout stays
 * for results, at the level `SUNDIAL_LOG_LEVEL` names (`info` by default).
 *
 * @throws ValidationError naming `SUNDIAL_LOG_LEVEL` for an unknown level
 */
export function createCliLogger(name: string, context: CliContext): Logger {
  const level = context.env.SUNDIAL_LOG_LEVEL?.trim() || 'info';
  const levels = [...Object.keys(pino.levels.values), 'silent'];
  if (!levels.includes(level)) throw new ValidationError('SUNDIAL_LOG_LEVEL', `expected one of ${levels.join(', ')}, got ${JSON.stringify(level)}`);
  return pino({ name, level }, { write: (line: string) => void context.stderr.write(line) });
}
