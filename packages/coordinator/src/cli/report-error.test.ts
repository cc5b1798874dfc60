import { EventEmitter } from 'node:events';
import { ExitCode, ValidationError } from '@sundial/shared';
import { CommanderError } from 'commander';
import type { CliContext } from './cli-context';
import { reportError, reportWarning } from './report-error';
import { ValidationErrorList } from '../apply/validation-error-list';

function report(error: unknown, env: Record<string, string> = {}): { exitCode: ExitCode; stderr: string } {
  let stderr = '';
  const context: CliContext = {
    stdout: { write: () => true },
    stderr: { write: (text: string) => (stderr += text) },
    env,
    clock: { now: () => 0 },
    signals: new EventEmitter(),
    exit: () => undefined,
  };
  const exitCode = reportError(error, context);
  return { exitCode, stderr };
}

describe('reportError', () => {
  it('prints a user mistake as one line with the sundial prefix', () => {
    expect(report(new ValidationError('-n', 'bad'))).toEqual({ exitCode: ExitCode.INVALID_INPUT, stderr: 'sundial: -n: bad\n' });
  });

  it("prints commander's usage error without its own prefix and exits 2", () => {
    expect(report(new CommanderError(1, 'commander.unknownOption', "error: unknown option '-x'"))).toEqual({
      exitCode: ExitCode.INVALID_INPUT,
      stderr: "sundial: unknown option '-x'\n",
    });
  });

  it('prints nothing more for --help', () => {
    expect(report(new CommanderError(0, 'commander.helpDisplayed', '(outputHelp)'))).toEqual({ exitCode: ExitCode.OK, stderr: '' });
  });

  it('prints an unexpected error without its stack', () => {
    expect(report(new Error('boom'))).toEqual({ exitCode: ExitCode.UNEXPECTED, stderr: 'sundial: unexpected error: boom\n' });
  });

  it('prints each error of a list on its own line and exits 2', () => {
    const errors = new ValidationErrorList([new ValidationError('schedules[1].trigger.cron', 'bad'), new ValidationError('schedules[3].task', 'expected a task\nname')]);
    expect(report(errors)).toEqual({
      exitCode: ExitCode.INVALID_INPUT,
      stderr: 'sundial: schedules[1].trigger.cron: bad\nsundial: schedules[3].task: expected a task name\n',
    });
  });
});

describe('reportWarning', () => {
  it('prints one line marked as a warning', () => {
    let stderr = '';
    const context: CliContext = {
      stdout: { write: () => true },
      stderr: { write: (text: string) => (stderr += text) },
      env: {},
      clock: { now: () => 0 },
      signals: new EventEmitter(),
      exit: () => undefined,
    };
    reportWarning('no live worker serves task "report" yet;\nits runs wait', context);
    expect(stderr).toBe('sundial: warning: no live worker serves task "report" yet; its runs wait\n');
  });
});
