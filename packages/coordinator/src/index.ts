/**
 * `@sundial/coordinator`: the Sundial coordinator and the `sundial` command line.
 *
 * @packageDocumentation
 */
export { systemClock, type Clock } from './clock';
export { startCoordinator, type Coordinator } from './coordinator';
export { resolveCoordinatorOptions, COORDINATOR_DEFAULTS, type CoordinatorOptions, type ResolvedCoordinatorOptions } from './coordinator-options';
export { main, createProgram } from './cli/main';
export { processContext, type CliContext } from './cli/cli-context';
export { ExitCode, exitCodeFor, type OutputStream, type SignalSource, type StopSignal } from '@sundial/shared';
export { triggerFromFlags, addTriggerFlags, type TriggerFlags } from './cli/trigger-flags';
export { addScheduleFlags, type ScheduleFlags } from './cli/schedule-flags';
export { scheduleInputFromFlags, scheduleChangesFromFlags, type ScheduleChanges } from './cli/schedule-input';
export { parseScheduleFile, validateScheduleEntries, type FileSchedule } from './cli/schedule-file';
export { diffSchedules, type ScheduleDiff, type ScheduleUpdate } from './cli/schedule-diff';
export { ValidationErrorList } from './cli/validation-error-list';
export { OUTPUT_FORMATS, type OutputFormat } from './cli/output';
