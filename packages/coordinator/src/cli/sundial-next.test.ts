import { nextFireTimes, type TriggerSpec } from '@sundial/shared';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const PACKAGE_DIR = join(__dirname, '..', '..');
const BIN = join(PACKAGE_DIR, 'bin', 'sundial.js');

/** Runs the built `sundial` bin as its own process. */
function sundial(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, SUNDIAL_DEBUG: '' } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(() => {
  if (!existsSync(join(PACKAGE_DIR, 'dist', 'cli', 'main.js'))) {
    throw new Error('packages/coordinator is not built; run `npx tsc --build` at the repository root first');
  }
});

describe('sundial next (process)', () => {
  it('moves a fixed time in the spring-forward gap to the first instant after it', () => {
    const result = sundial('next', '--cron', '30 2 * * *', '--tz', 'America/New_York', '--from', '2026-03-07T12:00:00Z', '-n', '2', '-o', 'json');
    expect(result).toEqual({ status: 0, stdout: '["2026-03-08T07:00:00.000Z","2026-03-09T06:30:00.000Z"]\n', stderr: '' });
  });

  const from = '2026-03-07T12:00:00Z';
  it.each<[string, string[], TriggerSpec]>([
    ['an interval', ['--every', '15m'], { every: '15m' }],
    ['a cron in Berlin', ['--cron', '0 9 * * MON-FRI', '--tz', 'Europe/Berlin'], { cron: '0 9 * * MON-FRI', timezone: 'Europe/Berlin' }],
    ['a single time', ['--at', '2027-01-01T09:00:00Z'], { at: '2027-01-01T09:00:00Z' }],
    ['a bounded interval', ['--every', '1h', '--start', '2026-03-07T12:30:00Z', '--end', '2026-03-07T15:30:00Z'], { every: '1h', start: '2026-03-07T12:30:00Z', end: '2026-03-07T15:30:00Z' }],
    ['a jittered cron', ['--cron', '0 * * * *', '--jitter', '5m'], { cron: '0 * * * *', jitter: '5m' }],
    [
      'a monthly calendar trigger from the 31st',
      ['--trigger', '{"calendar":{"months":1,"time":"09:30"},"start":"2026-01-31T00:00:00Z"}'],
      { calendar: { months: 1, time: '09:30' }, start: '2026-01-31T00:00:00Z' },
    ],
  ])('prints what nextFireTimes returns for %s', (_name, flags, trigger) => {
    const expected = nextFireTimes(trigger, { from, count: 7 }).map((date) => date.toISOString());
    const result = sundial('next', ...flags, '--from', from, '-n', '7', '-o', 'json');
    expect(result).toEqual({ status: 0, stdout: `${JSON.stringify(expected)}\n`, stderr: '' });
  });

  it('prints a table with the zone-local time, its offset and the UTC instant', () => {
    const result = sundial('next', '--cron', '30 2 * * *', '--tz', 'America/New_York', '--from', '2026-03-07T12:00:00Z', '-n', '2');
    expect(result.status).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^#\s+TIME \(America\/New_York\)\s+UTC$/);
    expect(lines[1]).toMatch(/^1\s+2026-03-08 03:00:00 -04:00\s+2026-03-08T07:00:00\.000Z$/);
    expect(lines[2]).toMatch(/^2\s+2026-03-09 02:30:00 -04:00\s+2026-03-09T06:30:00\.000Z$/);
  });

  it.each<[string, string[], string]>([
    ['a minute out of range', ['--cron', '61 * * * *'], 'cron'],
    ['a cron expression with four fields', ['--cron', '* * * *'], 'cron'],
    ['an unknown zone', ['--cron', '0 9 * * *', '--tz', 'Mars/Base'], 'timezone'],
    ['a negative interval', ['--every', '-5m'], 'every'],
    ['malformed trigger JSON', ['--trigger', '{bad'], '--trigger'],
    ['no trigger flag', ['-n', '3'], '--cron'],
    ['two trigger flags', ['--cron', '* * * * *', '--every', '5m'], '--every'],
    ['a count of 0', ['--every', '5m', '-n', '0'], '-n'],
    ['a count past the maximum', ['--every', '5m', '-n', '100001'], '-n'],
    ['a --from that is not a date', ['--every', '5m', '--from', 'yesterday'], '--from'],
    ['an unknown output format', ['--every', '5m', '-o', 'xml'], '-o'],
    ['an unknown option', ['--every', '5m', '--bogus'], '--bogus'],
  ])('rejects %s with one line naming %s, exit 2 and no output', (_name, flags, field) => {
    const result = sundial('next', ...flags);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^sundial: [^\n]+\n$/);
    expect(result.stderr).toContain(field);
    expect(result.stderr).not.toContain('    at ');
  });
});
