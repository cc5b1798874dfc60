import { InvalidTriggerError, SundialError, TriggerIterationLimitError, ValidationError } from '../errors';
import { ApiAuthError, ApiResponseError, ApiUnreachableError } from '../client/api-errors';
import { RedisConnectionError } from '../redis/redis-connection-error';
import { isCommanderError } from './commander-error';
import { ExitCode, exitCodeFor } from './exit-codes';

class MissingThingError extends SundialError {
  readonly code = 'NOT_FOUND';
}

class TakenError extends SundialError {
  readonly code = 'CONFLICT';
}

/** An error shaped like commander's `CommanderError`, without depending on commander. */
function commanderError(exitCode: number, code: string, message: string): Error {
  return Object.assign(new Error(message), { code, exitCode });
}

describe('exitCodeFor', () => {
  it.each<[string, unknown, ExitCode]>([
    ['a validation error', new ValidationError('-n', 'bad'), ExitCode.INVALID_INPUT],
    ['an invalid trigger', new InvalidTriggerError('cron', 'bad'), ExitCode.INVALID_INPUT],
    ['an and trigger that never agrees', new TriggerIterationLimitError(10, 0), ExitCode.INVALID_INPUT],
    ['a missing thing', new MissingThingError('no such schedule'), ExitCode.NOT_FOUND],
    ['a conflict', new TakenError('schedule exists'), ExitCode.CONFLICT],
    ['an unreachable Redis', new RedisConnectionError('redis://127.0.0.1:1', new Error('connect ECONNREFUSED')), ExitCode.UNEXPECTED],
    ['an unreachable admin API', new ApiUnreachableError('http://127.0.0.1:1', 'connect ECONNREFUSED'), ExitCode.UNEXPECTED],
    ['an admin API failing on its side', new ApiResponseError(503, 'UNAVAILABLE', 'Redis is unreachable'), ExitCode.UNEXPECTED],
    ['a refused API token', new ApiAuthError('UNAUTHORIZED', 'missing or unknown token'), ExitCode.INVALID_INPUT],
    ['a usage error', commanderError(1, 'commander.unknownOption', "error: unknown option '-x'"), ExitCode.INVALID_INPUT],
    ['--help', commanderError(0, 'commander.helpDisplayed', '(outputHelp)'), ExitCode.OK],
    ['a bug', new TypeError('x is undefined'), ExitCode.UNEXPECTED],
    ['an error with a foreign code', Object.assign(new Error('nope'), { code: 'ENOENT', exitCode: 2 }), ExitCode.UNEXPECTED],
    ['a thrown string', 'boom', ExitCode.UNEXPECTED],
  ])('maps %s', (_name, error, exitCode) => {
    expect(exitCodeFor(error)).toBe(exitCode);
  });
});

describe('isCommanderError', () => {
  it('recognises an Error with a commander code and a numeric exit code', () => {
    expect(isCommanderError(commanderError(1, 'commander.missingMandatoryOptionValue', 'error: missing'))).toBe(true);
  });

  it.each<[string, unknown]>([
    ['a plain object', { code: 'commander.help', exitCode: 0, message: 'x' }],
    ['an error without an exit code', Object.assign(new Error('x'), { code: 'commander.help' })],
    ['an error with another code', Object.assign(new Error('x'), { code: 'ERR_X', exitCode: 1 })],
  ])('rejects %s', (_name, error) => {
    expect(isCommanderError(error)).toBe(false);
  });
});
