/** What {@link settleWithin} saw: the work's value, or that time ran out first. */
export type Settlement<T> = { readonly settled: true; readonly value: T } | { readonly settled: false };

/**
 * Waits for `work` at most `ms`. Resolves with its value, or with `settled: false` when time ran
 * out first (the work goes on; nothing cancels it). Rejects when the work rejects in time.
 */
export async function settleWithin<T>(work: Promise<T>, ms: number): Promise<Settlement<T>> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Settlement<T>>((resolve) => (timer = setTimeout(() => resolve({ settled: false }), ms)));
  try {
    return await Promise.race([work.then((value): Settlement<T> => ({ settled: true, value })), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
