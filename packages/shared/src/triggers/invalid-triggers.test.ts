import { InvalidTriggerError, ValidationError } from '../errors';
import { compileTrigger } from './compile-trigger';
import { nextFireTimes } from './next-fire-times';

function errorOf(action: () => unknown): InvalidTriggerError {
  try {
    action();
  } catch (error) {
    if (error instanceof InvalidTriggerError) return error;
    throw error;
  }
  throw new Error('expected an InvalidTriggerError');
}

describe('invalid triggers name the field and the expected form', () => {
  it.each([
    ['minute out of range', { cron: '61 * * * *' }, 'cron', /minute field "61".*0-59/],
    ['too few fields', { cron: '* * * *' }, 'cron', /expected 5 fields .* or 6 .* got 4/],
    ['too many fields', { cron: '* * * * * * *' }, 'cron', /got 7/],
    ['unknown name', { cron: '0 0 * * FUNDAY' }, 'cron', /day-of-week field "FUNDAY"/],
    ['unknown month name', { cron: '0 0 1 JNU *' }, 'cron', /month field "JNU"/],
    ['open range', { cron: '0- * * * *' }, 'cron', /minute field "0-"/],
    ['hour out of range', { cron: '0 24 * * *' }, 'cron', /hour field "24".*0-23/],
    ['zero step', { cron: '*/0 * * * *' }, 'cron', /minute field "\*\/0"/],
    ['W out of range', { cron: '0 0 32W * *' }, 'cron', /day-of-month field "32W"/],
    ['hashed H', { cron: 'H * * * *' }, 'cron', /minute field "H"/],
    ['unknown macro', { cron: '@fortnightly' }, 'cron', /unknown macro "@fortnightly"/],
    ['a date that never comes', { cron: '0 0 30 2 *' }, 'cron', /never matches a date/],
    ['not a string', { cron: 5 }, 'cron', /expected a cron expression string/],
    ['unknown zone', { cron: '0 * * * *', timezone: 'Mars/Olympus_Mons' }, 'timezone', /unknown time zone "Mars\/Olympus_Mons"/],
    ['end before start', { every: '1h', start: '2027-01-01T00:00:00Z', end: '2026-01-01T00:00:00Z' }, 'end', /before start/],
    ['zero interval', { every: 0 }, 'every', /positive duration/],
    ['negative interval', { every: '-5m' }, 'every', /positive duration/],
    ['interval in words', { every: '5 minutes' }, 'every', /positive duration/],
    ['interval units out of order', { every: '30m1h' }, 'every', /positive duration/],
    ['bad instant', { at: '2027-02-30T00:00:00Z' }, 'at', /invalid date-time "2027-02-30T00:00:00Z"/],
    ['bad start', { cron: '* * * * *', start: 'tomorrow' }, 'start', /invalid date-time "tomorrow"/],
    ['bad jitter', { cron: '* * * * *', jitter: 'soon' }, 'jitter', /non-negative duration/],
    ['calendar without a unit', { calendar: { time: '09:00' } }, 'calendar', /exactly one of "years", "months", "weeks", "days"/],
    ['calendar with two units', { calendar: { months: 1, days: 2 } }, 'calendar', /got months, days/],
    ['calendar zero step', { calendar: { months: 0 } }, 'calendar.months', /at least 1, got 0$/],
    ['calendar bad time', { calendar: { days: 1, time: '25:00' } }, 'calendar.time', /time of day/],
    ['no kind', { crn: '* * * * *' }, 'trigger', /exactly one of "cron", "every".*found none/],
    ['two kinds', { cron: '* * * * *', every: '1m' }, 'trigger', /found cron and every/],
    ['unknown field', { cron: '* * * * *', timezon: 'UTC' }, 'timezon', /unknown field/],
    ['not an object', ['cron'], 'trigger', /got an array/],
    ['null', null, 'trigger', /got null/],
    ['empty and', { and: [] }, 'and', /at least one trigger, got an empty array$/],
    ['bad member', { or: [{ cron: '0 9 * * *' }, { every: 'x' }] }, 'or[1].every', /positive duration/],
    ['nested bad cron field', { or: [{ every: '1h' }, { cron: '61 * * * *' }] }, 'or[1].cron', /minute field "61"/],
    ['nested bad zone', { and: [{ or: [{ cron: '0 9 * * *', timezone: 'Nowhere' }] }] }, 'and[0].or[0].timezone', /unknown time zone/],
    ['nested jitter', { or: [{ cron: '0 9 * * *', jitter: '1m' }] }, 'or[0].jitter', /outermost trigger/],
    ['malformed JSON', '{"cron": ', 'trigger', /malformed JSON/],
  ])('%s', (_name, input, field, message) => {
    const error = errorOf(() => compileTrigger(input));
    expect(error.code).toBe('INVALID_TRIGGER');
    expect(error.field).toBe(field);
    expect(error.message.startsWith(`${field}: `)).toBe(true);
    expect(error.message).toMatch(message);
  });

  it('nextFireTimes reads a local `from` in the trigger zone, like start and end', () => {
    const dates = nextFireTimes({ every: '1h', timezone: 'America/New_York' }, { from: '2026-01-01T00:30', count: 1 });
    expect(dates.map((date) => date.toISOString())).toEqual(['2026-01-01T06:00:00.000Z']);
    expect(nextFireTimes({ every: '1h' }, { from: '2026-01-01T00:30', count: 1 })[0]?.toISOString()).toBe('2026-01-01T01:00:00.000Z');
  });

  it('nextFireTimes checks its options', () => {
    expect(() => nextFireTimes({ cron: '* * * * *' }, { count: 0 })).toThrow(ValidationError);
    expect(() => nextFireTimes({ cron: '* * * * *' }, { from: 'yesterday' })).toThrow(/^from: /);
  });

  it('returns the validated trigger in its JSON form', () => {
    const spec = { or: [{ cron: '0 9 * * MON-FRI' }, { every: '1h30m', start: '2026-01-01T00:00:00Z' }], timezone: 'Europe/Berlin', jitter: '30s' };
    expect(compileTrigger(spec).spec).toEqual(spec);
  });
});
