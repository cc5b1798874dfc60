import { ValidationError } from '../errors';
import { thrownBy } from '../../../../test/support/errors';
import { createProcessLogger } from './process-logger';

function capture(isTTY = false) {
  const lines: string[] = [];
  return { lines, destination: { isTTY, write: (line: string) => void lines.push(line) } };
}

describe('createProcessLogger', () => {
  it('writes JSON lines with the fields given, at info by default', () => {
    const { lines, destination } = capture();
    const logger = createProcessLogger({ name: 'sundial-worker', env: {}, destination });
    logger.child({ runId: 'nightly@1', scheduleId: 'nightly', task: 'report', attempt: 2 }).info('run succeeded');
    logger.debug('not shown');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ name: 'sundial-worker', level: 30, runId: 'nightly@1', scheduleId: 'nightly', task: 'report', attempt: 2, msg: 'run succeeded' });
  });

  it('takes the level from SUNDIAL_LOG_LEVEL', () => {
    const { lines, destination } = capture();
    createProcessLogger({ name: 'x', env: { SUNDIAL_LOG_LEVEL: 'debug' }, destination }).debug('shown');
    expect(lines).toHaveLength(1);
  });

  it('never logs tokens or authorization headers', () => {
    const { lines, destination } = capture();
    const logger = createProcessLogger({ name: 'x', env: {}, destination });
    logger.info({ token: 's3cret-token', api: { token: 's3cret-token' }, req: { headers: { authorization: 'Bearer s3cret-token' } } }, 'request');
    expect(lines.join('')).not.toContain('s3cret-token');
    expect(lines.join('')).toContain('[redacted]');
  });

  it('writes pretty lines to a terminal, and JSON when SUNDIAL_LOG_FORMAT says so', () => {
    const tty = capture(true);
    createProcessLogger({ name: 'x', env: {}, destination: tty.destination }).info({ runId: 'a@1' }, 'run succeeded');
    expect(tty.lines.join('')).toContain('run succeeded');
    expect(() => JSON.parse(tty.lines[0]!)).toThrow();
    const forced = capture(true);
    createProcessLogger({ name: 'x', env: { SUNDIAL_LOG_FORMAT: 'json' }, destination: forced.destination }).info('plain');
    expect(JSON.parse(forced.lines[0]!)).toMatchObject({ msg: 'plain' });
  });

  it('names the variable of an unknown level or format', () => {
    const { destination } = capture();
    const level = thrownBy(() => createProcessLogger({ name: 'x', env: { SUNDIAL_LOG_LEVEL: 'loud' }, destination }));
    expect(level).toBeInstanceOf(ValidationError);
    expect((level as ValidationError).field).toBe('SUNDIAL_LOG_LEVEL');
    const format = thrownBy(() => createProcessLogger({ name: 'x', env: { SUNDIAL_LOG_FORMAT: 'xml' }, destination }));
    expect((format as ValidationError).field).toBe('SUNDIAL_LOG_FORMAT');
  });
});
