import { ValidationError } from '@sundial/shared';
import { thrownBy } from '../../../test/support/errors';
import type { RetryPolicy } from './task-definition';
import { RETRY_DEFAULTS, backoffDelayMs } from './task-retry';

describe('backoffDelayMs', () => {
  const error = new Error('failed');
  const custom = (attempt: number, failure: Error): number => (failure.message === 'failed' ? attempt * 1_000 + 7 : 0);
  const cases: Array<[string, RetryPolicy, number, number, number]> = [
    // [case, policy, failed attempt, random(), expected delay]
    ['default: exponential from 1 s, attempt 1', { attempts: 5 }, 1, 0.5, 1_000],
    ['default: exponential from 1 s, attempt 2', { attempts: 5 }, 2, 0.5, 2_000],
    ['default: exponential from 1 s, attempt 4', { attempts: 5 }, 4, 0.5, 8_000],
    ['fixed', { attempts: 5, backoff: 'fixed', delayMs: 300 }, 1, 0.5, 300],
    ['fixed, any attempt', { attempts: 5, backoff: 'fixed', delayMs: 300 }, 9, 0.5, 300],
    ['exponential from 250 ms', { attempts: 9, backoff: 'exponential', delayMs: 250 }, 3, 0.5, 1_000],
    ['exponential capped', { attempts: 9, backoff: 'exponential', delayMs: 1_000, maxDelayMs: 5_000 }, 4, 0.5, 5_000],
    ['exponential far beyond the cap', { attempts: 100, backoff: 'exponential', delayMs: 1_000, maxDelayMs: 60_000 }, 2_000, 0.5, 60_000],
    ['the default cap of one hour', { attempts: 100 }, 30, 0.5, 3_600_000],
    ['exponential from 0', { attempts: 3, delayMs: 0 }, 2, 0.5, 0],
    ['custom function', { attempts: 5, backoff: custom }, 2, 0.5, 2_007],
    ['custom function capped', { attempts: 5, backoff: custom, maxDelayMs: 1_500 }, 2, 0.5, 1_500],
    ['jitter, random in the middle: no change', { attempts: 5, backoff: 'fixed', delayMs: 1_000, jitter: 0.5 }, 1, 0.5, 1_000],
    ['jitter, lowest random', { attempts: 5, backoff: 'fixed', delayMs: 1_000, jitter: 0.5 }, 1, 0, 500],
    ['jitter, highest random', { attempts: 5, backoff: 'fixed', delayMs: 1_000, jitter: 0.5 }, 1, 0.999, 1_499],
    ['jitter 1, lowest random: 0, never below', { attempts: 5, backoff: 'fixed', delayMs: 1_000, jitter: 1 }, 1, 0, 0],
    ['jitter never above the cap', { attempts: 5, backoff: 'fixed', delayMs: 1_000, maxDelayMs: 1_000, jitter: 0.5 }, 1, 0.999, 1_000],
    ['jitter 0 ignores random', { attempts: 5, backoff: 'fixed', delayMs: 1_000, jitter: 0 }, 1, 0, 1_000],
    ['jitter on a custom delay', { attempts: 5, backoff: custom, jitter: 0.1 }, 3, 0.25, 2_857],
  ];

  it.each(cases)('%s', (_case, retry, attempt, random, expected) => {
    expect(backoffDelayMs(retry, attempt, error, () => random)).toBe(expected);
  });

  it('uses the documented defaults', () => {
    expect(RETRY_DEFAULTS).toEqual({ attempts: 1, backoff: 'exponential', delayMs: 1_000, maxDelayMs: 3_600_000, jitter: 0 });
  });

  it.each([[-5], [Number.NaN], ['10' as unknown as number]])('rejects a backoff function returning %p', (returned) => {
    const error = thrownBy(() => backoffDelayMs({ attempts: 3, backoff: () => returned }, 1, new Error('failed')));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe('retry.backoff');
  });

  it('stays within ±jitter for any random number', () => {
    for (let step = 0; step < 100; step += 1) {
      const delay = backoffDelayMs({ attempts: 3, backoff: 'fixed', delayMs: 10_000, jitter: 0.2 }, 1, error, () => step / 100);
      expect(delay).toBeGreaterThanOrEqual(8_000);
      expect(delay).toBeLessThanOrEqual(12_000);
    }
  });
});
