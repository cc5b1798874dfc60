import pino, { type Logger } from 'pino';
import { prettyFactory } from 'pino-pretty';
import { ValidationError } from '../errors';

/** Where a process logger writes, and whether that is a terminal. */
export interface LogDestination {
  write(line: string): unknown;
  readonly isTTY?: boolean;
}

/** Options of {@link createProcessLogger}. */
export interface ProcessLoggerOptions {
  /** The logger's `name` field, e.g. `sundial-coordinator`. */
  readonly name: string;
  /** Reads `SUNDIAL_LOG_LEVEL` and `SUNDIAL_LOG_FORMAT`. @defaultValue `process.env` */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** @defaultValue the process's stderr, so results on stdout stay clean */
  readonly destination?: LogDestination;
}

/** The output formats of process logs: JSON lines, or pino-pretty's coloured lines for people. */
export const LOG_FORMATS = ['json', 'pretty'] as const;

/**
 * Fields whose values never reach a log line: bearer tokens and credentials, wherever they sit in
 * a logged object.
 */
export const REDACTED_LOG_PATHS = [
  'token',
  '*.token',
  'password',
  '*.password',
  'authorization',
  'headers.authorization',
  'req.headers.authorization',
  'request.headers.authorization',
];

const LEVELS = [...Object.keys(pino.levels.values), 'silent'];

/**
 * The logger of a Sundial process: pino at the level `SUNDIAL_LOG_LEVEL` names (`info` by
 * default), as JSON lines, or pretty lines when the destination is a terminal (`SUNDIAL_LOG_FORMAT`
 * chooses either way). Credentials are redacted (see {@link REDACTED_LOG_PATHS}).
 *
 * @throws ValidationError naming `SUNDIAL_LOG_LEVEL` or `SUNDIAL_LOG_FORMAT` for an unknown value
 */
export function createProcessLogger(options: ProcessLoggerOptions): Logger {
  const env = options.env ?? process.env;
  const destination = options.destination ?? process.stderr;
  const level = env.SUNDIAL_LOG_LEVEL?.trim() || 'info';
  if (!LEVELS.includes(level)) throw new ValidationError('SUNDIAL_LOG_LEVEL', `expected one of ${LEVELS.join(', ')}, got ${JSON.stringify(level)}`);
  const format = env.SUNDIAL_LOG_FORMAT?.trim() || (destination.isTTY === true ? 'pretty' : 'json');
  if (format !== 'json' && format !== 'pretty') throw new ValidationError('SUNDIAL_LOG_FORMAT', `expected one of ${LOG_FORMATS.join(', ')}, got ${JSON.stringify(format)}`);
  const settings = { name: options.name, level, redact: { paths: REDACTED_LOG_PATHS, censor: '[redacted]' } };
  if (format === 'pretty') {
    const prettify = prettyFactory({ colorize: destination.isTTY === true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' });
    return pino(settings, { write: (line: string) => void destination.write(prettify(line)) });
  }
  return pino(settings, { write: (line: string) => void destination.write(line) });
}
