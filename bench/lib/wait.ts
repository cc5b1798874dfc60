/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

/** Resolves at the instant `epochMs` (Date.now() time), at once if it has passed. */
export function sleepUntil(epochMs: number): Promise<void> {
  return sleep(epochMs - Date.now());
}

/** The next whole second after `epochMs` plus `extraSeconds`, in ms. */
export function nextSecondBoundary(epochMs: number, extraSeconds = 0): number {
  return (Math.floor(epochMs / 1_000) + 1 + extraSeconds) * 1_000;
}

/**
 * Polls `check` every `intervalMs` until it returns true.
 *
 * @throws Error saying `what` when `timeoutMs` passes first
 */
export async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs: number, intervalMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

/** Runs `work` on every item with at most `limit` in flight; resolves when all are done. */
export async function forEachLimited<T>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      await work(items[index] as T, index);
    }
  });
  await Promise.all(lanes);
}
