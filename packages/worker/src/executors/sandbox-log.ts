import pino, { type Logger } from 'pino';

/**
 * The logger a handler gets inside a sandbox: pino at the parent's level, writing each record
 * (a JSON line, without time, pid or hostname, which the parent adds) to `send`.
 */
export function createSandboxLogger(level: string, send: (line: string) => void): Logger {
  const stream = { write: (line: string): void => send(line) };
  try {
    return pino({ level, base: null, timestamp: false }, stream);
  } catch {
    // A custom level of the parent's logger that pino does not know here.
    return pino({ level: 'info', base: null, timestamp: false }, stream);
  }
}

/**
 * Writes a record that came from a sandbox to the attempt's logger, at its level, with its
 * fields and message; the logger adds its own bindings (run id, task, ...). A line that is not
 * a JSON object is logged as the message of an `info` record.
 */
export function forwardLogRecord(logger: Logger, line: string): void {
  let record: unknown;
  try {
    record = JSON.parse(line);
  } catch {
    record = undefined;
  }
  if (typeof record !== 'object' || record === null || Array.isArray(record)) {
    logger.info(line.trimEnd());
    return;
  }
  const { level, msg, ...fields } = record as { level?: unknown; msg?: unknown };
  const label = typeof level === 'number' ? logger.levels.labels[level] : undefined;
  const write = (label && typeof (logger as unknown as Record<string, unknown>)[label] === 'function' ? (logger as unknown as Record<string, pino.LogFn>)[label] : logger.info)!;
  if (typeof msg === 'string') write.call(logger, fields, msg);
  else write.call(logger, fields);
}
