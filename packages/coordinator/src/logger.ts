import pino from 'pino';

/** The structured logger of coordinator processes (pino; JSON lines on stderr). */
export type Logger = pino.Logger;

/**
 * A logger writing JSON lines to stderr, so results on stdout stay clean.
 *
 * @param level - `SUNDIAL_LOG_LEVEL`, else `info`
 */
export function createLogger(name: string, level: string = process.env.SUNDIAL_LOG_LEVEL ?? 'info'): Logger {
  return pino({ name, level }, pino.destination({ fd: 2, sync: true }));
}
