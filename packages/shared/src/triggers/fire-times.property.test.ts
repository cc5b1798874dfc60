import fc from 'fast-check';
import { compileTrigger } from './compile-trigger';
import type { TriggerSpec } from './trigger-spec';

const ZONES = ['UTC', 'America/New_York', 'Europe/Berlin', 'Europe/London', 'Australia/Lord_Howe', 'America/Havana', 'Pacific/Chatham', 'America/Santiago', 'Asia/Kolkata', 'Australia/Sydney'];
const MINUTE = 60_000;
const from2000to2040 = fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2040, 0, 1) });
const zone = fc.constantFrom(...ZONES);

const cronField = (min: number, max: number) =>
  fc.oneof(
    fc.constant('*'),
    fc.integer({ min, max }).map(String),
    fc.integer({ min: 2, max: 7 }).map((step) => `*/${step}`),
    fc.tuple(fc.integer({ min, max }), fc.integer({ min, max })).map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`),
    fc.uniqueArray(fc.integer({ min, max }), { minLength: 2, maxLength: 4 }).map((values) => values.join(',')),
  );

const cronTrigger: fc.Arbitrary<TriggerSpec> = fc
  .record({
    minute: cronField(0, 59),
    hour: cronField(0, 23),
    dom: fc.oneof(fc.constant('*'), fc.constant('L'), cronField(1, 28)),
    month: fc.oneof(fc.constant('*'), cronField(1, 12)),
    dow: fc.oneof(fc.constant('*'), fc.constant('5L'), fc.constant('MON#2'), cronField(0, 6)),
    timezone: zone,
  })
  .map(({ minute, hour, dom, month, dow, timezone }) => ({ cron: `${minute} ${hour} ${dom} ${month} ${dow}`, timezone }));

const anyTrigger: fc.Arbitrary<TriggerSpec> = fc.oneof(
  cronTrigger,
  fc.record({ every: fc.integer({ min: 1_000, max: 90 * 86_400_000 }), timezone: zone }),
  fc.record({ calendar: fc.record({ months: fc.integer({ min: 1, max: 14 }), time: fc.constantFrom('00:00', '01:30', '02:30', '09:15') }), start: fc.constantFrom('2000-01-31', '2001-02-28', '2004-02-29', '2010-07-15'), timezone: zone }),
  fc.record({ calendar: fc.record({ days: fc.integer({ min: 1, max: 10 }), time: fc.constantFrom('00:00', '01:30', '02:30', '23:59') }), timezone: zone }),
  fc.tuple(cronTrigger, cronTrigger).map(([a, b]): TriggerSpec => ({ or: [a, b] })),
);

describe('fire-time properties', () => {
  it('are strictly increasing and all after `from`', () => {
    fc.assert(
      fc.property(anyTrigger, from2000to2040, (trigger, from) => {
        const fires = compileTrigger(trigger).take(from, 30);
        let previous = from;
        for (const fire of fires) {
          expect(fire.nominalMs).toBeGreaterThan(previous);
          previous = fire.nominalMs;
        }
      }),
      { numRuns: 300 },
    );
  });

  it('asking again from the k-th time continues the same sequence', () => {
    fc.assert(
      fc.property(anyTrigger, from2000to2040, fc.integer({ min: 0, max: 18 }), (trigger, from, k) => {
        const compiled = compileTrigger(trigger);
        const fires = compiled.take(from, 20).map((fire) => fire.nominalMs);
        const kth = fires[k];
        if (kth === undefined) return;
        expect(compiled.take(kth, 20 - k - 1).map((fire) => fire.nominalMs)).toEqual(fires.slice(k + 1));
      }),
      { numRuns: 200 },
    );
  });

  it('fixed-time jobs fire at most once per local date', () => {
    const fixed = fc.record({ minute: fc.integer({ min: 0, max: 59 }), hour: fc.integer({ min: 0, max: 23 }), timezone: zone });
    fc.assert(
      fc.property(fixed, from2000to2040, ({ minute, hour, timezone }, from) => {
        const dates = compileTrigger({ cron: `${minute} ${hour} * * *`, timezone })
          .take(from, 60)
          .map((fire) => localDate(timezone, fire.nominalMs));
        expect(new Set(dates).size).toBe(dates.length);
      }),
      { numRuns: 300 },
    );
  });
});

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Local wall-clock reading through Intl alone: an oracle independent of the engine's segments. */
function localParts(timezone: string, ms: number): { date: string; minuteOfDay: number } {
  let format = formatters.get(timezone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone: timezone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
    formatters.set(timezone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(ms).map((part) => [part.type, part.value]));
  return { date: `${parts.year}-${parts.month}-${parts.day}`, minuteOfDay: Number(parts.hour) * 60 + Number(parts.minute) };
}

function localDate(timezone: string, ms: number): string {
  return localParts(timezone, ms).date;
}

/** Daylight-saving transitions of 2026. */
const TRANSITION_DAYS: readonly [string, string][] = [
  ['America/New_York', '2026-03-08'],
  ['America/New_York', '2026-11-01'],
  ['Europe/Berlin', '2026-03-29'],
  ['Europe/Berlin', '2026-10-25'],
  ['Australia/Lord_Howe', '2026-04-05'],
  ['Australia/Lord_Howe', '2026-10-04'],
  ['America/Havana', '2026-03-08'],
  ['America/Havana', '2026-11-01'],
  ['Pacific/Chatham', '2026-04-05'],
  ['Pacific/Chatham', '2026-09-27'],
  ['America/Santiago', '2026-04-05'],
  ['America/Santiago', '2026-09-06'],
];

interface Reading {
  readonly ms: number;
  readonly date: string;
  readonly minuteOfDay: number;
}

const readingsCache = new Map<string, Reading[]>();

/** The local reading of every whole minute from two days before `day` to two days after. */
function minuteReadings(timezone: string, day: string): Reading[] {
  const key = `${timezone} ${day}`;
  let readings = readingsCache.get(key);
  if (!readings) {
    readings = [];
    const start = Date.parse(`${day}T00:00:00Z`) - 2 * 86_400_000;
    for (let ms = start; ms < start + 4 * 86_400_000; ms += MINUTE) readings.push({ ms, ...localParts(timezone, ms) });
    readingsCache.set(key, readings);
  }
  return readings;
}

/** The middle two days of a window: every local date in them is seen from its start. */
function innerDays(day: string): { from: number; until: number } {
  const from = Date.parse(`${day}T00:00:00Z`) - 86_400_000;
  return { from, until: from + 2 * 86_400_000 };
}

function ourFireTimes(cron: string, timezone: string, day: string): number[] {
  const { from, until } = innerDays(day);
  return compileTrigger({ cron, timezone })
    .take(from - 1, 1_000, { untilMs: until })
    .map((fire) => fire.nominalMs);
}

describe('cron agrees with a brute-force reading of the wall clock around real transitions', () => {
  const window = fc.constantFrom(...TRANSITION_DAYS);

  it('wildcard jobs fire at every instant whose local time matches', () => {
    const pattern = fc.record({ minute: fc.constantFrom('0', '15', '30', '45', '*/20', '10,40'), hour: fc.constantFrom('*', '*/2', '*/3') });
    fc.assert(
      fc.property(window, pattern, ([timezone, day], { minute, hour }) => {
        const minutes = new Set(expandField(minute, 60));
        const hours = new Set(expandField(hour, 24));
        const { from, until } = innerDays(day);
        const expected = minuteReadings(timezone, day)
          .filter((r) => r.ms >= from && r.ms < until && hours.has(Math.floor(r.minuteOfDay / 60)) && minutes.has(r.minuteOfDay % 60))
          .map((r) => r.ms);
        expect(ourFireTimes(`${minute} ${hour} * * *`, timezone, day)).toEqual(expected);
      }),
      { numRuns: 60 },
    );
  });

  it('fixed-time jobs fire once per local date: at the first instant whose wall time reaches theirs', () => {
    // That instant is the job's time itself, its first occurrence when repeated, or the first
    // instant after the gap when skipped: the ISC rule.
    const time = fc.record({ minute: fc.constantFrom(0, 15, 30, 45, 59), hour: fc.integer({ min: 0, max: 4 }) });
    fc.assert(
      fc.property(window, time, ([timezone, day], { minute, hour }) => {
        const target = hour * 60 + minute;
        const firedOn = new Set<string>();
        const expected: number[] = [];
        for (const reading of minuteReadings(timezone, day)) {
          if (reading.minuteOfDay >= target && !firedOn.has(reading.date)) {
            firedOn.add(reading.date);
            expected.push(reading.ms);
          }
        }
        const { from, until } = innerDays(day);
        expect(ourFireTimes(`${minute} ${hour} * * *`, timezone, day)).toEqual(expected.filter((ms) => ms >= from && ms < until));
      }),
      { numRuns: 80 },
    );
  });
});

function expandField(text: string, size: number): number[] {
  if (text === '*') return [...Array(size).keys()];
  if (text.startsWith('*/')) return [...Array(size).keys()].filter((value) => value % Number(text.slice(2)) === 0);
  return text.split(',').map(Number);
}
