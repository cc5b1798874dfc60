import { ValidationError } from '../errors';
import type { RedisConnection } from '../redis/redis-target';
import { discoverNamespaces } from './namespace-discovery';

/** How often a process serving every namespace looks for new ones. */
export const DEFAULT_NAMESPACE_SCAN_EVERY_MS = 30_000;

/** Which namespaces a coordinator or worker group serves. */
export interface NamespaceGroupOptions {
  /**
   * The namespaces to serve, or `'all'`: every namespace that holds schedules, looked for again
   * every `namespaceScanEveryMs`.
   */
  namespaces: readonly string[] | 'all';
  /** With `namespaces: 'all'`, how often to look for new namespaces. @defaultValue 30,000 ms */
  namespaceScanEveryMs?: number;
}

/** Namespaces being followed: call `stop` to stop looking for new ones. */
export interface NamespaceFollower {
  stop(): void;
}

/**
 * Checks a group's namespace options.
 *
 * @throws {@link ValidationError} naming `namespaces` or `namespaceScanEveryMs`
 */
export function checkNamespaceGroupOptions(options: NamespaceGroupOptions): void {
  if (options.namespaces !== 'all' && options.namespaces.length === 0) throw new ValidationError('namespaces', 'expected at least one namespace, or "all"');
  const scanEveryMs = options.namespaceScanEveryMs ?? DEFAULT_NAMESPACE_SCAN_EVERY_MS;
  if (!Number.isInteger(scanEveryMs) || scanEveryMs < 1) throw new ValidationError('namespaceScanEveryMs', `expected a whole number of at least 1, got ${String(scanEveryMs)}`);
}

/**
 * Calls `start` for each namespace of the list, one after the other, or with `'all'` for each
 * namespace found in Redis now and, every `namespaceScanEveryMs`, for each new one found.
 * `start` is called once per namespace.
 *
 * @param onScanError - told when a later scan fails (the first one throws)
 */
export async function followNamespaces(
  redis: RedisConnection,
  options: NamespaceGroupOptions,
  start: (namespace: string) => Promise<void>,
  onScanError: (error: unknown) => void,
): Promise<NamespaceFollower> {
  const started = new Set<string>();
  const startNew = async (namespaces: readonly string[]): Promise<void> => {
    for (const namespace of namespaces) {
      if (started.has(namespace)) continue;
      started.add(namespace);
      await start(namespace);
    }
  };
  const { namespaces } = options;
  if (namespaces !== 'all') {
    await startNew(namespaces);
    return { stop: () => undefined };
  }
  await startNew(await discoverNamespaces(redis));
  const timer = setInterval(() => void discoverNamespaces(redis).then(startNew).catch(onScanError), options.namespaceScanEveryMs ?? DEFAULT_NAMESPACE_SCAN_EVERY_MS);
  return { stop: () => clearInterval(timer) };
}
