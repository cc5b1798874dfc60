import fc from 'fast-check';
import { civilFromDays, daysFromCivil, daysInMonth, weekdayOfDays } from './civil';

describe('civil calendar arithmetic', () => {
  it('agrees with Date for every day from 1900 to 2400', () => {
    fc.assert(
      fc.property(fc.integer({ min: daysFromCivil(1900, 1, 1), max: daysFromCivil(2400, 12, 31) }), (days) => {
        const date = new Date(days * 86_400_000);
        expect(civilFromDays(days)).toEqual({ year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() });
        expect(daysFromCivil(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate())).toBe(days);
        expect(weekdayOfDays(days)).toBe(date.getUTCDay());
      }),
      { numRuns: 2_000 },
    );
  });

  it.each([
    [2024, 2, 29],
    [2026, 2, 28],
    [2100, 2, 28],
    [2000, 2, 29],
    [2026, 4, 30],
    [2026, 12, 31],
  ])('%i-%i has %i days', (year, month, days) => {
    expect(daysInMonth(year, month)).toBe(days);
  });
});
