import { InvalidTriggerError, ValidationError } from '../errors';
import { RedisConnectionError } from '../redis/redis-connection-error';
import { ExitCode } from './exit-codes';
import { reportCliError } from './report-cli-error';

function report(error: unknown, env: Record<string, string> = {}, programName = 'sundial'): { exitCode: ExitCode; stderr: string } {
  let stderr = '';
  const exitCode = reportCliError(error, { stderr: { write: (text: string) => (stderr += text) }, env }, programName);
  return { exitCode, stderr };
}

/** An error shaped like commander's `CommanderError`, without depending on commander. */
function commanderError(exitCode: number, code: string, message: string): Error {
  return Object.assign(new Error(message), { code, exitCode });
}

describe('reportCliError', () => {
  it('prints a user mistake as one line naming the field', () => {
    expect(report(new InvalidTriggerError('timezone', 'unknown time zone "Mars/Base"'))).toEqual({
      exitCode: ExitCode.INVALID_INPUT,
      stderr: 'sundial: timezone: unknown time zone "Mars/Base"\n',
    });
  });

  it('opens every line with the program name', () => {
    expect(report(new ValidationError('--tasks', 'bad'), {}, 'sundial-worker').stderr).toBe('sundial-worker: --tasks: bad\n');
  });

  it('keeps a multi-line message on one line', () => {
    expect(report(new ValidationError('trigger', 'first\n  second')).stderr).toBe('sundial: trigger: first second\n');
  });

  it("prints commander's usage error without its leading `error: ` and exits 2", () => {
    expect(report(commanderError(1, 'commander.unknownOption', "error: unknown option '-x'"))).toEqual({
      exitCode: ExitCode.INVALID_INPUT,
      stderr: "sundial: unknown option '-x'\n",
    });
  });

  it.each([
    ['--help', commanderError(0, 'commander.helpDisplayed', '(outputHelp)'), ExitCode.OK],
    ['--version', commanderError(0, 'commander.version', '0.1.0'), ExitCode.OK],
    ['a bare command', commanderError(1, 'commander.help', '(outputHelp)'), ExitCode.INVALID_INPUT],
  ])('prints nothing more for %s, whose output commander has written', (_name, error, exitCode) => {
    expect(report(error)).toEqual({ exitCode, stderr: '' });
  });

  it('prints an unreachable Redis as one line and exits 1', () => {
    const { exitCode, stderr } = report(new RedisConnectionError('redis://127.0.0.1:1', new Error('connect ECONNREFUSED')));
    expect(exitCode).toBe(ExitCode.UNEXPECTED);
    expect(stderr).toMatch(/^sundial: [^\n]*\n$/);
    expect(stderr).not.toContain('unexpected error');
  });

  it('prints an unexpected error without its stack', () => {
    expect(report(new Error('boom'))).toEqual({ exitCode: ExitCode.UNEXPECTED, stderr: 'sundial: unexpected error: boom\n' });
  });

  it('prints a thrown non-error as an unexpected error', () => {
    expect(report('boom', { SUNDIAL_DEBUG: '1' })).toEqual({ exitCode: ExitCode.UNEXPECTED, stderr: 'sundial: unexpected error: boom\n' });
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
});
