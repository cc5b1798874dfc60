import { RETRY_DEFAULTS } from '../define-task';
import type { TaskDefinition } from '../task-definition';
import { WORKER_DEFAULTS } from '../worker-options';
import { nextAttempt, type AttemptState } from '@sundial/shared';
import { attemptInRound, resolveRunSettings, retryRemains, type ScheduleOverrides } from './run-settings';

const handler = () => undefined;
const defaults = { retry: { ...WORKER_DEFAULTS.retry }, timeoutMs: undefined };

describe('resolveRunSettings: the schedule, then the task, then the worker', () => {
  it.each<[string, ScheduleOverrides, Partial<TaskDefinition>, Partial<ReturnType<typeof resolveRunSettings>['retry']>, number | undefined]>([
    ['nothing set: the worker defaults', {}, {}, { attempts: 1, backoff: 'exponential', delayMs: 1_000 }, undefined],
    ["the task's policy", {}, { retry: { attempts: 5, backoff: 'fixed', delayMs: 200 }, timeoutMs: 30 }, { attempts: 5, backoff: 'fixed', delayMs: 200 }, 30],
    ["the task's fields left out come from the worker", {}, { retry: { attempts: 3 } }, { attempts: 3, backoff: 'exponential', delayMs: 1_000, maxDelayMs: RETRY_DEFAULTS.maxDelayMs }, undefined],
    ["the schedule's retry over the task's", { attempts: 2, backoff: { type: 'fixed', delay: 50 } }, { retry: { attempts: 5, backoff: 'exponential', delayMs: 200, jitter: 0.5 } }, { attempts: 2, backoff: 'fixed', delayMs: 50, jitter: 0.5 }, undefined],
    ['a BullMQ backoff given as a number is a delay', { attempts: 4, backoff: 70 }, {}, { attempts: 4, backoff: 'exponential', delayMs: 70 }, undefined],
    ["the schedule's timeout over the task's", { timeoutMs: 10 }, { timeoutMs: 30 }, { attempts: 1 }, 10],
  ])('%s', (_name, overrides, task, retry, timeoutMs) => {
    const settings = resolveRunSettings(overrides, { name: 'task', handler, ...task }, defaults);
    expect(settings.retry).toMatchObject(retry);
    expect(settings.timeoutMs).toBe(timeoutMs);
  });

  it("takes the worker's default timeout last", () => {
    expect(resolveRunSettings({}, { name: 'task', handler }, { ...defaults, timeoutMs: 99 }).timeoutMs).toBe(99);
  });
});

describe('attempt numbering', () => {
  it('counts 1, 2, 3 within a round; a stall is an attempt too', () => {
    let state: AttemptState | undefined;
    const numbers: [number, number][] = [];
    for (let i = 0; i < 3; i++) {
      state = nextAttempt(state, 0);
      numbers.push([state.attempt, attemptInRound(state)]);
    }
    expect(numbers).toEqual([
      [1, 1],
      [2, 2],
      [3, 3],
    ]);
  });

  it('starts a new round with a full budget when the job failed for good and was retried by hand', () => {
    const retry = { ...WORKER_DEFAULTS.retry, attempts: 2 };
    const first = nextAttempt(undefined, 0);
    const second = nextAttempt(first, 0);
    expect([retryRemains(first, retry), retryRemains(second, retry)]).toEqual([true, false]);
    // BullMQ counted the final failure in attemptsMade; the retry by hand keeps it.
    const third = nextAttempt(second, 1);
    expect(third).toEqual({ attempt: 3, round: 1, roundStart: 3 });
    expect([attemptInRound(third), retryRemains(third, retry)]).toEqual([1, true]);
    const fourth = nextAttempt(third, 1);
    expect([fourth.attempt, attemptInRound(fourth), retryRemains(fourth, retry)]).toEqual([4, 2, false]);
  });
});
