/**
 * `@sundial/coordinator`: the Sundial coordinator and the `sundial` command line.
 *
 * @packageDocumentation
 */
export { systemClock, type Clock } from './clock';
export { main, createProgram } from './cli/main';
export { processContext, type CliContext, type OutputStream } from './cli/cli-context';
export { ExitCode, exitCodeFor } from './cli/exit-codes';
export { triggerFromFlags, addTriggerFlags, type TriggerFlags } from './cli/trigger-flags';
