import type { ScheduleSpec } from '../schedule/schedule-spec';
import { DefinitionCache } from './definition-cache';

const spec = (task: string) => ({ id: 'x', task }) as unknown as ScheduleSpec;
const state = (version: number, createdAt = 1_000) => ({ version: String(version), createdAt: String(createdAt) });

describe('DefinitionCache', () => {
  it('gives a definition back only at the state it was kept at', () => {
    const cache = new DefinitionCache();
    cache.set('x', state(3), spec('a'));
    expect(cache.get('x', state(3))).toEqual(spec('a'));
    expect(cache.get('x', state(4))).toBeUndefined();
    // Removed and added again: version 1 again, another creation time.
    cache.set('y', state(1, 1_000), spec('old'));
    expect(cache.get('y', state(1, 2_000))).toBeUndefined();
    expect(cache.has('y')).toBe(true);
    expect(cache.has('z')).toBe(false);
  });

  it('keeps at most its capacity, dropping the entry used longest ago', () => {
    const cache = new DefinitionCache(2);
    cache.set('a', state(1), spec('a'));
    cache.set('b', state(1), spec('b'));
    expect(cache.get('a', state(1))).toEqual(spec('a'));
    cache.set('c', state(1), spec('c'));
    expect(cache.size).toBe(2);
    expect(cache.has('b')).toBe(false);
    expect([cache.has('a'), cache.has('c')]).toEqual([true, true]);
  });
});
