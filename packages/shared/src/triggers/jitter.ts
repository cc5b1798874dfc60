/**
 * A deterministic fraction in [0, 1) for a schedule and a nominal fire time, so a jittered fire
 * time is the same on every coordinator and after every restart.
 */
export function jitterFraction(seed: string, nominalMs: number): number {
  const text = `${seed}@${nominalMs}`;
  // FNV-1a, then the MurmurHash3 finalizer to spread nearby inputs over the whole range.
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return (hash >>> 0) / 0x1_0000_0000;
}

/**
 * The jittered fire time of a nominal one: never before it, less than `jitterMs` after it, and
 * before `nextNominalMs` when there is a next fire time.
 */
export function applyJitter(seed: string, nominalMs: number, jitterMs: number, nextNominalMs: number | undefined): number {
  if (jitterMs <= 0) return nominalMs;
  const span = nextNominalMs === undefined ? jitterMs : Math.min(jitterMs, nextNominalMs - nominalMs);
  return nominalMs + Math.floor(jitterFraction(seed, nominalMs) * span);
}
