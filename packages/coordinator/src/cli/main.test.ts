import { EventEmitter } from 'node:events';
import { ExitCode, nextFireTimes } from '@sundial/shared';
import type { CliContext } from './cli-context';
import { main } from './main';

const NOW = '2026-03-07T12:00:00Z';

/** Runs `sundial ...args` in this process with captured output and a clock fixed at `NOW`. */
async function run(...args: string[]): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const context: CliContext = {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env: {},
    clock: { now: () => Date.parse(NOW) },
    signals: new EventEmitter(),
    exit: () => undefined,
  };
  const exitCode = await main(['node', 'sundial', ...args], context);
  return { exitCode, stdout, stderr };
}

describe('sundial (in process)', () => {
  it('takes --from from the clock when it is not given', async () => {
    const { exitCode, stdout, stderr } = await run('next', '--cron', '30 2 * * *', '--tz', 'America/New_York', '-n', '2', '-o', 'json');
    expect({ exitCode, stderr }).toEqual({ exitCode: ExitCode.OK, stderr: '' });
    expect(stdout).toBe('["2026-03-08T07:00:00.000Z","2026-03-09T06:30:00.000Z"]\n');
  });

  it('prints five fire times by default', async () => {
    const { stdout } = await run('next', '--every', '15m', '-o', 'json');
    const expected = nextFireTimes({ every: '15m' }, { from: NOW, count: 5 }).map((date) => date.toISOString());
    expect(JSON.parse(stdout)).toEqual(expected);
  });

  it("reads a --from without an offset in the trigger's zone", async () => {
    const { stdout } = await run('next', '--cron', '0 * * * *', '--tz', 'Asia/Kathmandu', '--from', '2026-01-01T00:00', '-n', '1', '-o', 'json');
    expect(stdout).toBe('["2025-12-31T19:15:00.000Z"]\n');
  });

  it('prints a table with the local time and offset beside the UTC instant', async () => {
    const { stdout } = await run('next', '--cron', '30 2 * * *', '--tz', 'America/New_York', '-n', '2');
    expect(stdout).toBe(
      [
        '#  TIME (America/New_York)     UTC',
        '1  2026-03-08 03:00:00 -04:00  2026-03-08T07:00:00.000Z',
        '2  2026-03-09 02:30:00 -04:00  2026-03-09T06:30:00.000Z',
        '',
      ].join('\n'),
    );
  });

  it('says so when the trigger has no more fire times', async () => {
    expect((await run('next', '--at', '2026-01-01T00:00:00Z', '-o', 'json')).stdout).toBe('[]\n');
    expect((await run('next', '--at', '2026-01-01T00:00:00Z')).stdout).toBe('no fire times after 2026-03-07T12:00:00.000Z\n');
  });

  it('prints the version and help on stdout and exits 0', async () => {
    expect(await run('--version')).toEqual({ exitCode: ExitCode.OK, stdout: '0.1.0\n', stderr: '' });
    const help = await run('next', '--help');
    expect(help.exitCode).toBe(ExitCode.OK);
    expect(help.stdout).toContain('--cron <expr>');
    expect(help.stderr).toBe('');
  });

  it('prints help on stderr and exits 2 without a command', async () => {
    const { exitCode, stdout, stderr } = await run();
    expect({ exitCode, stdout }).toEqual({ exitCode: ExitCode.INVALID_INPUT, stdout: '' });
    expect(stderr).toContain('Usage: sundial');
  });

  it.each([
    [['nope'], "sundial: unknown command 'nope'\n"],
    [['next', '--every', '5m', '--bogus'], "sundial: unknown option '--bogus'\n"],
    [['next', '--cron'], "sundial: option '--cron <expr>' argument missing\n"],
  ])('reports the usage error %j on one line and exits 2', async (args, message) => {
    expect(await run(...args)).toEqual({ exitCode: ExitCode.INVALID_INPUT, stdout: '', stderr: message });
  });
});
