import { nextFireTimes } from './next-fire-times';
import type { TriggerSpec } from './trigger-spec';

/** The next `count` fire times of `trigger` after `from`, as ISO strings, for test tables. */
export function isoFireTimes(trigger: TriggerSpec, from: string, count: number): string[] {
  return nextFireTimes(trigger, { from, count }).map((date) => date.toISOString().replace('.000Z', 'Z'));
}
