import { Semaphore } from './semaphore';

describe('Semaphore', () => {
  it('gives at most `limit` permits and hands a returned one to the longest waiter', async () => {
    const semaphore = new Semaphore(2);
    expect([semaphore.tryAcquire(), semaphore.tryAcquire(), semaphore.tryAcquire()]).toEqual([true, true, false]);
    const order: string[] = [];
    const first = semaphore.acquire().then(() => order.push('first'));
    const second = semaphore.acquire().then(() => order.push('second'));
    semaphore.release();
    await first;
    expect(order).toEqual(['first']);
    expect(semaphore.inUse).toBe(2);
    semaphore.release();
    await second;
    expect(order).toEqual(['first', 'second']);
    semaphore.release();
    semaphore.release();
    expect(semaphore.inUse).toBe(0);
  });

  it('rejects waiters, which get no permit', async () => {
    const semaphore = new Semaphore(1);
    await semaphore.acquire();
    const waiting = semaphore.acquire();
    semaphore.rejectWaiters(new Error('closing'));
    await expect(waiting).rejects.toThrow('closing');
    expect(semaphore.inUse).toBe(1);
  });
});
