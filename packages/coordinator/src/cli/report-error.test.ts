import { EventEmitter } from 'node:events';
import { InvalidTriggerError, RedisConnectionError, SundialError, TriggerIterationLimitError, ValidationError } from '@sundial/shared';
import { CommanderError } from 'commander';
import type { CliContext } from './cli-context';
import { ExitCode, exitCodeFor } from './exit-codes';
import { reportError, reportWarning } from './report-error';
import { ValidationErrorList } from './validation-error-list';

class MissingThingError extends SundialError {
  readonly code = 'NOT_FOUND';
}

class TakenError extends SundialError {
  readonly code = 'CONFLICT';
}

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

describe('exitCodeFor', () => {
  it.each<[string, unknown, ExitCode]>([
    ['a validation error', new ValidationError('-n', 'bad'), ExitCode.INVALID_INPUT],
    ['an invalid trigger', new InvalidTriggerError('cron', 'bad'), ExitCode.INVALID_INPUT],
    ['an and trigger that never agrees', new TriggerIterationLimitError(10, 0), ExitCode.INVALID_INPUT],
    ['a missing thing', new MissingThingError('no such schedule'), ExitCode.NOT_FOUND],
    ['a conflict', new TakenError('schedule exists'), ExitCode.CONFLICT],
    ['an unreachable Redis', new RedisConnectionError('redis://127.0.0.1:1', new Error('connect ECONNREFUSED')), ExitCode.UNEXPECTED],
    ['a usage error', new CommanderError(1, 'commander.unknownOption', "error: unknown option '-x'"), ExitCode.INVALID_INPUT],
    ['--help', new CommanderError(0, 'commander.helpDisplayed', '(outputHelp)'), ExitCode.OK],
    ['a bug', new TypeError('x is undefined'), ExitCode.UNEXPECTED],
    ['a thrown string', 'boom', ExitCode.UNEXPECTED],
  ])('maps %s', (_name, error, exitCode) => {
    expect(exitCodeFor(error)).toBe(exitCode);
  });
});

describe('reportError', () => {
  it('prints a user mistake as one line naming the field', () => {
    expect(report(new InvalidTriggerError('timezone', 'unknown time zone "Mars/Base"'))).toEqual({
      exitCode: ExitCode.INVALID_INPUT,
      stderr: 'sundial: timezone: unknown time zone "Mars/Base"\n',
    });
  });

  it('keeps a multi-line message on one line', () => {
    expect(report(new ValidationError('trigger', 'first\n  second')).stderr).toBe('sundial: trigger: first second\n');
  });

  it('prints an unexpected error without its stack', () => {
    expect(report(new Error('boom'))).toEqual({ exitCode: ExitCode.UNEXPECTED, stderr: 'sundial: unexpected error: boom\n' });
  });

  it('adds the stack of an unexpected error when SUNDIAL_DEBUG=1', () => {
    const { exitCode, stderr } = report(new Error('boom'), { SUNDIAL_DEBUG: '1' });
    expect(exitCode).toBe(ExitCode.UNEXPECTED);
    expect(stderr.startsWith('sundial: unexpected error: boom\nError: boom\n')).toBe(true);
    expect(stderr).toContain('    at ');
  });

  it('never prints a stack for a user mistake, even when debugging', () => {
    expect(report(new ValidationError('-n', 'bad'), { SUNDIAL_DEBUG: '1' }).stderr).toBe('sundial: -n: bad\n');
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
