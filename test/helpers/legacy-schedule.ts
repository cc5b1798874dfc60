import { validateSchedule, type NamespaceKeys, type RedisConnection, type ScheduleSpec } from '@sundial/shared';

/**
 * Writes a schedule by hand in the layout Sundial used before the definition had a key of its
 * own: the definition as JSON in the field `spec` of the schedule hash, beside its state, and no
 * `def:<id>` key. The indexes (`ids`, `due`, `queues`) are written as `addSchedule` writes them.
 *
 * @returns the definition written and the schedule's first nominal fire time after `nowMs`
 */
export async function writeLegacySchedule(redis: RedisConnection, keys: NamespaceKeys, input: unknown, nowMs: number): Promise<{ spec: ScheduleSpec; firstFireMs: number }> {
  const { spec, trigger } = validateSchedule(input);
  const next = trigger.next(nowMs, spec.id);
  if (!next) throw new Error(`the trigger of "${spec.id}" has no fire time after ${nowMs}`);
  await redis
    .multi()
    .hset(keys.schedule(spec.id), {
      version: 1,
      createdAt: nowMs,
      enqueued: 0,
      missed: 0,
      skipped: 0,
      pausedFires: 0,
      spec: JSON.stringify(spec),
      paused: 0,
      pausedAt: '',
      last: nowMs,
      next: next.nominalMs,
      nextAt: next.fireAtMs,
      updatedAt: nowMs,
    })
    .zadd(keys.ids, nowMs, spec.id)
    .zadd(keys.due, next.fireAtMs, spec.id)
    .sadd(keys.queues, spec.queue)
    .exec();
  return { spec, firstFireMs: next.nominalMs };
}
