import type { Command } from 'commander';
import type { CliContext } from '../cli-context';
import { registerScheduleActionCommands } from './schedule-actions';
import { registerScheduleAddCommand } from './schedule-add';
import { registerScheduleListCommand } from './schedule-list';
import { registerScheduleUpdateCommand } from './schedule-update';

/** Adds `sundial schedule` and its subcommands (add, list, get, update, pause, resume, trigger, backfill, remove). */
export function registerScheduleCommand(program: Command, context: CliContext): Command {
  const schedule = program.command('schedule').description('add, change and inspect schedules');
  registerScheduleAddCommand(schedule, context);
  registerScheduleListCommand(schedule, context);
  registerScheduleActionCommands(schedule, context);
  registerScheduleUpdateCommand(schedule, context);
  return schedule;
}
