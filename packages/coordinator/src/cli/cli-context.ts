import { processCliIo, systemClock, type CliIo, type Clock } from '@sundial/shared';

/** What a `sundial` run reads from and writes to, injected so it can run inside a test. */
export interface CliContext extends CliIo {
  /** The time `--from` defaults to. */
  readonly clock: Clock;
}

/** The context of a real run: the process's streams, environment and signals, and the system clock. */
export function processContext(): CliContext {
  return { ...processCliIo(), clock: systemClock };
}
