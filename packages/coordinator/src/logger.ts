import { createProcessLogger } from '@sundial/shared';
import type pino from 'pino';

/** The structured logger of coordinator processes (pino). */
export type Logger = pino.Logger;

/**
 * The coordinator's logger on stderr, so results on stdout stay clean: JSON lines, or pretty
 * lines on a terminal, at `SUNDIAL_LOG_LEVEL` (see `createProcessLogger`).
 *
 * @throws ValidationError naming `SUNDIAL_LOG_LEVEL` or `SUNDIAL_LOG_FORMAT` for an unknown value
 */
export function createLogger(name: string): Logger {
  return createProcessLogger({ name });
}
