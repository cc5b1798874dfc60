import { settleWithin } from './settle-within';

describe('settleWithin', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('gives the value of work that settles in time', async () => {
    await expect(settleWithin(Promise.resolve(42), 1_000)).resolves.toEqual({ settled: true, value: 42 });
  });

  it('says the time ran out when the work is still pending', async () => {
    const pending = settleWithin(new Promise(() => undefined), 1_000);
    jest.advanceTimersByTime(1_000);
    await expect(pending).resolves.toEqual({ settled: false });
  });

  it('passes on a rejection that comes in time', async () => {
    await expect(settleWithin(Promise.reject(new Error('boom')), 1_000)).rejects.toThrow('boom');
  });
});
