/**
 * `@sundial/coordinator`: the Sundial coordinator and the `sundial` command line.
 *
 * @packageDocumentation
 */
export { systemClock, type Clock } from './clock';
export { startCoordinator, type Coordinator, type CoordinatorParts } from './coordinator';
export { startCoordinatorGroup, type CoordinatorGroup, type CoordinatorGroupOptions } from './coordinator-group';
export { LeaseBalancer, type LeaseBalancerOptions } from './leader/lease-balancer';
export type { ContentionGate } from './leader/contention-gate';
export { startManualCoordinator, type ManualCoordinator, type ManualCoordinatorOptions } from './manual-coordinator';
export type { TickSummary } from './fire-loop/fire-loop';
export { resolveCoordinatorOptions, COORDINATOR_DEFAULTS, type CoordinatorOptions, type ResolvedCoordinatorOptions } from './coordinator-options';
export { main, createProgram } from './cli/main';
export { processContext, type CliContext } from './cli/cli-context';
export { ExitCode, exitCodeFor, type OutputStream, type SignalSource, type StopSignal } from '@sundial/shared';
export { triggerFromFlags, addTriggerFlags, type TriggerFlags } from './cli/trigger-flags';
export { addScheduleFlags, type ScheduleFlags } from './cli/schedule-flags';
export { scheduleInputFromFlags, scheduleChangesFromFlags, type ScheduleChanges } from './cli/schedule-input';
export { parseScheduleFile } from './cli/schedule-file';
export { validateScheduleEntries, type DesiredSchedule } from './apply/schedule-entries';
export { diffSchedules, type ScheduleDiff, type ScheduleUpdate } from './apply/schedule-diff';
export { applySchedules, applyScheduleDiff, listAllSchedules, type ApplySchedulesOptions } from './apply/apply-schedules';
export { ValidationErrorList } from './apply/validation-error-list';
export { OUTPUT_FORMATS, type OutputFormat } from './cli/output';
