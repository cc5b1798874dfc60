import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEST_REDIS_URL_ENV } from './namespace';
import { PID_DIR_ENV } from './process-registry';
import { redisServerAvailable, startRedisServer, type RedisServer } from './redis-server';

/** Where the global setup leaves its state for the global teardown (same process). */
export interface GlobalTestState {
  /** The Redis server shared by the run, when the setup started one. */
  redis?: RedisServer;
  /** The directory test processes record their children's pids in. */
  pidDir?: string;
}

/** The state the global setup shares with the global teardown. */
export function globalTestState(): GlobalTestState {
  const holder = globalThis as typeof globalThis & { __sundialTestState?: GlobalTestState };
  holder.__sundialTestState ??= {};
  return holder.__sundialTestState;
}

/**
 * Jest global setup: starts one `redis-server` for the whole run when the binary is on the PATH,
 * otherwise uses `REDIS_URL`, and passes the URL to the tests as `SUNDIAL_TEST_REDIS_URL`. With
 * neither, tests that need Redis fail and say so (see `testRedisUrl`); the others still run.
 */
export default async function globalSetup(): Promise<void> {
  const state = globalTestState();
  state.pidDir = mkdtempSync(join(tmpdir(), 'sundial-test-pids-'));
  process.env[PID_DIR_ENV] = state.pidDir;
  if (redisServerAvailable()) {
    state.redis = await startRedisServer({ sharedByRun: true });
    process.env[TEST_REDIS_URL_ENV] = state.redis.url;
  } else if (process.env.REDIS_URL) {
    process.env[TEST_REDIS_URL_ENV] = process.env.REDIS_URL;
  } else {
    delete process.env[TEST_REDIS_URL_ENV];
  }
}
