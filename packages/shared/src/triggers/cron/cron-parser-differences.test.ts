import { CronExpressionParser } from 'cron-parser';
import { isoFireTimes } from '../test-support';

/**
 * Sundial parses cron fields with cron-parser but computes fire times itself. These tests pin the
 * places where cron-parser's own iteration differs from DESIGN.md, so an upgrade that changes
 * either side is noticed.
 */
function cronParserTimes(expression: string, timezone: string, from: string, count: number): string[] {
  const iterator = CronExpressionParser.parse(expression, { tz: timezone, currentDate: from });
  return Array.from({ length: count }, () => iterator.next().toDate().toISOString().replace('.000Z', 'Z'));
}

describe('where cron-parser differs from Sundial', () => {
  it('day rule: cron-parser ORs */2 with a weekday; Sundial (Vixie) requires both', () => {
    const from = '2026-01-01T00:00:00Z';
    expect(cronParserTimes('0 12 */2 * FRI', 'UTC', from, 2)).toEqual(['2026-01-01T12:00:00Z', '2026-01-02T12:00:00Z']);
    expect(isoFireTimes({ cron: '0 12 */2 * FRI' }, from, 2)).toEqual(['2026-01-09T12:00:00Z', '2026-01-23T12:00:00Z']);
  });

  it('fixed time in the spring-forward gap: cron-parser shifts it by the gap (03:30 EDT), Sundial fires as the gap ends (03:00 EDT)', () => {
    const from = '2026-03-07T12:00:00Z';
    expect(cronParserTimes('30 2 * * *', 'America/New_York', from, 2)).toEqual(['2026-03-08T07:30:00Z', '2026-03-09T06:30:00Z']);
    expect(isoFireTimes({ cron: '30 2 * * *', timezone: 'America/New_York' }, from, 2)).toEqual(['2026-03-08T07:00:00Z', '2026-03-09T06:30:00Z']);
  });

  it('wildcard minutes in the repeated hour: Sundial fires in both occurrences', () => {
    const from = '2026-11-01T04:00:00Z';
    const sundial = ['2026-11-01T05:00:00Z', '2026-11-01T05:30:00Z', '2026-11-01T06:00:00Z', '2026-11-01T06:30:00Z'];
    expect(isoFireTimes({ cron: '*/30 1 * * *', timezone: 'America/New_York' }, from, 4)).toEqual(sundial);
    expect(cronParserTimes('*/30 1 * * *', 'America/New_York', from, 4)).not.toEqual(sundial);
  });

  it('cron-parser has no W, no @midnight, and accepts H and four fields; Sundial is the other way round', () => {
    expect(() => CronExpressionParser.parse('0 12 15W * *')).toThrow();
    expect(() => CronExpressionParser.parse('@midnight')).toThrow();
    expect(() => CronExpressionParser.parse('H * * * *')).not.toThrow();
    expect(() => CronExpressionParser.parse('* * * *')).not.toThrow();
    expect(isoFireTimes({ cron: '0 12 15W * *' }, '2026-01-01T00:00:00Z', 1)).toEqual(['2026-01-15T12:00:00Z']);
    expect(isoFireTimes({ cron: '@midnight' }, '2026-01-01T00:00:00Z', 1)).toEqual(['2026-01-02T00:00:00Z']);
  });
});
