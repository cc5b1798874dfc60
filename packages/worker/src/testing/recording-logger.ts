import pino, { type Logger } from 'pino';

/** pino's level names, from the most verbose. */
export type TaskLogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

/**
 * One line a handler logged: its level, its message (`msg`, absent when it logged none) and the
 * fields it logged with, as pino writes them (an `err` field as `{ type, message, stack }`).
 */
export interface TaskLogRecord {
  readonly level: TaskLogLevel;
  readonly msg?: string;
  readonly [field: string]: unknown;
}

/** A logger that keeps every line, of every level, in `records`. */
export interface RecordingLogger {
  readonly logger: Logger;
  readonly records: readonly TaskLogRecord[];
}

/**
 * A pino logger at level `trace` that writes nowhere and records each line, parsed, in order.
 *
 * @param omit - fields left out of the records (the bindings every line of an attempt carries)
 */
export function createRecordingLogger(omit: readonly string[] = []): RecordingLogger {
  const records: TaskLogRecord[] = [];
  const logger = pino(
    { level: 'trace', base: undefined, timestamp: false, formatters: { level: (label) => ({ level: label }) } },
    {
      write: (line: string) => {
        const record = JSON.parse(line) as Record<string, unknown>;
        for (const field of omit) delete record[field];
        records.push(record as unknown as TaskLogRecord);
      },
    },
  );
  return { logger, records };
}
