import type { ChainableCommander } from 'ioredis';
import type { RedisConnection } from '../redis/redis-target';
import type { SundialEvent } from './event-types';

/**
 * An event to append to the stream, as the writer knows it: a {@link SundialEvent} without its
 * stream id, with times in epoch ms; absent fields are left out.
 */
export interface EventToAppend extends Omit<SundialEvent, 'id' | 'time' | 'fireTime'> {
  /** When it happened (cluster time), epoch ms. */
  readonly timeMs: number;
  /** The run's nominal fire time, epoch ms. */
  readonly fireTimeMs?: number;
}

/**
 * The field-value list of an event for `XADD`, in the layout the Lua scripts write: empty and
 * absent fields are left out, `time` comes last.
 */
export function eventFields(event: EventToAppend): string[] {
  const { type, timeMs, fireTimeMs, ...rest } = event;
  const fields: string[] = ['type', type];
  const optional: Record<string, string | number | undefined> = { ...rest, fireTime: fireTimeMs };
  for (const name of ['scheduleId', 'runId', 'fireTime', 'status', 'reason', 'count', 'attempt', 'task', 'error', 'worker', 'coordinator', 'epoch']) {
    const value = optional[name];
    if (value !== undefined && value !== '') fields.push(name, String(value));
  }
  fields.push('time', String(timeMs));
  return fields;
}

/**
 * Appends an event to a namespace's stream (`keys.events`), trimming it to about `maxLength`
 * entries. Pass a `multi()` to write it atomically with other changes.
 */
export function appendEvent<T extends RedisConnection | ChainableCommander>(redis: T, streamKey: string, maxLength: number, event: EventToAppend): ReturnType<T['xadd']> {
  return redis.xadd(streamKey, 'MAXLEN', '~', maxLength, '*', ...eventFields(event)) as ReturnType<T['xadd']>;
}
