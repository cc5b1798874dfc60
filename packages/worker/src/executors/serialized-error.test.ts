import { UnrecoverableError } from '../task-definition';
import { deserializeError, serializeError } from './serialized-error';

describe('serializeError and deserializeError', () => {
  it('keep the name, message, stack and code of an error', () => {
    const error = Object.assign(new RangeError('too large'), { code: 'TOO_LARGE' });
    const serialized = serializeError(error);
    expect(serialized).toEqual({ name: 'RangeError', message: 'too large', stack: error.stack, code: 'TOO_LARGE', unrecoverable: false });
    const rebuilt = deserializeError(structuredClone(serialized));
    expect(rebuilt).toBeInstanceOf(Error);
    expect(rebuilt).not.toBeInstanceOf(UnrecoverableError);
    expect(rebuilt).toMatchObject({ name: 'RangeError', message: 'too large', stack: error.stack, code: 'TOO_LARGE' });
  });

  it.each([
    ['an UnrecoverableError', new UnrecoverableError('gone')],
    ['an error named UnrecoverableError (BullMQ)', Object.assign(new Error('gone'), { name: 'UnrecoverableError' })],
    ['an error with code UNRECOVERABLE', Object.assign(new Error('gone'), { code: 'UNRECOVERABLE' })],
  ])('rebuild %s as an UnrecoverableError', (_case, error) => {
    const serialized = serializeError(error);
    expect(serialized.unrecoverable).toBe(true);
    const rebuilt = deserializeError(serialized);
    expect(rebuilt).toBeInstanceOf(UnrecoverableError);
    expect(rebuilt.message).toBe('gone');
  });

  it.each([
    ['a string', 'boom', 'non-error thrown: boom'],
    ['undefined', undefined, 'non-error thrown: undefined'],
    ['a number', 42, 'non-error thrown: 42'],
  ])('describe %s thrown', (_case, thrown, message) => {
    expect(serializeError(thrown)).toEqual({ name: 'Error', message, unrecoverable: false });
  });
});
