import { rmSync } from 'node:fs';
import { globalTestState } from './global-setup';
import { PID_DIR_ENV, sweepPidDir } from './process-registry';

/**
 * Jest global teardown: stops the shared Redis server and kills any process a test process
 * started and left running (for instance because the test process crashed).
 */
export default async function globalTeardown(): Promise<void> {
  const state = globalTestState();
  try {
    await state.redis?.stop();
  } finally {
    state.redis = undefined;
    if (state.pidDir) {
      sweepPidDir(state.pidDir);
      rmSync(state.pidDir, { recursive: true, force: true });
      state.pidDir = undefined;
      delete process.env[PID_DIR_ENV];
    }
  }
}
