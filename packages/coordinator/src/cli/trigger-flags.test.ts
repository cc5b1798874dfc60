import { InvalidTriggerError, validateTrigger } from '@sundial/shared';
import { triggerFromFlags, type TriggerFlags } from './trigger-flags';

function errorOf(flags: TriggerFlags): unknown {
  try {
    triggerFromFlags(flags);
  } catch (error) {
    return error;
  }
  throw new Error('expected triggerFromFlags to throw');
}

describe('triggerFromFlags', () => {
  it.each<[string, TriggerFlags, Record<string, unknown>]>([
    ['a cron expression', { cron: '0 9 * * MON-FRI' }, { cron: '0 9 * * MON-FRI' }],
    ['a cron expression in a zone', { cron: '30 2 * * *', timezone: 'America/New_York' }, { cron: '30 2 * * *', timezone: 'America/New_York' }],
    ['an interval', { every: '15m' }, { every: '15m' }],
    ['an interval with bounds and jitter', { every: '1h', start: '2026-01-01T00:00:00Z', end: '2026-02-01T00:00:00Z', jitter: '30s' }, { every: '1h', start: '2026-01-01T00:00:00Z', end: '2026-02-01T00:00:00Z', jitter: '30s' }],
    ['a single time', { at: '2027-01-01T09:00:00Z' }, { at: '2027-01-01T09:00:00Z' }],
    ['a calendar trigger as JSON', { trigger: '{"calendar":{"months":1,"time":"09:30"}}' }, { calendar: { months: 1, time: '09:30' } }],
    ['JSON plus a zone flag', { trigger: '{"or":[{"cron":"0 9 * * *"},{"at":"2027-01-01T12:00"}]}', timezone: 'Europe/Berlin' }, { or: [{ cron: '0 9 * * *' }, { at: '2027-01-01T12:00' }], timezone: 'Europe/Berlin' }],
    ['an empty cron, left for the engine to reject', { cron: '' }, { cron: '' }],
  ])('builds %s', (_name, flags, expected) => {
    expect(triggerFromFlags(flags)).toEqual(expected);
  });

  it('keeps the trigger fields unchecked, for the engine to name', () => {
    const trigger = triggerFromFlags({ cron: '61 * * * *' });
    expect(() => validateTrigger(trigger)).toThrow(expect.objectContaining({ field: 'cron' }));
  });

  it('does not change its argument', () => {
    const flags: TriggerFlags = { every: '5m', timezone: 'UTC' };
    triggerFromFlags(flags);
    expect(flags).toEqual({ every: '5m', timezone: 'UTC' });
  });

  it.each<[string, TriggerFlags, string]>([
    ['no kind flag', { timezone: 'UTC' }, 'trigger'],
    ['no flags at all', {}, 'trigger'],
    ['two kind flags', { cron: '* * * * *', every: '5m' }, 'trigger'],
    ['--trigger with --at', { trigger: '{"every":"5m"}', at: '2027-01-01T00:00:00Z' }, 'trigger'],
    ['malformed JSON', { trigger: '{bad' }, '--trigger'],
    ['JSON that is not an object', { trigger: '[{"every":"5m"}]' }, '--trigger'],
    ['JSON null', { trigger: 'null' }, '--trigger'],
    ['a zone set twice', { trigger: '{"every":"5m","timezone":"UTC"}', timezone: 'Europe/Berlin' }, '--tz'],
    ['a start set twice', { trigger: '{"every":"5m","start":"2026-01-01T00:00:00Z"}', start: '2026-01-01T00:00:00Z' }, '--start'],
  ])('rejects %s, naming %s', (_name, flags, field) => {
    const error = errorOf(flags);
    expect(error).toBeInstanceOf(InvalidTriggerError);
    expect(error).toMatchObject({ field });
  });
});
