import { EventEmitter } from 'node:events';
import { ValidationError } from '@sundial/shared';
import { thrownBy } from '../../../../test/support/errors';
import type { CliContext } from './cli-context';
import { printRepeatedly, watchIntervalFromFlags } from './watch';

/** A context whose stdout is or is not a terminal, with its output and a signal emitter. */
function context(isTTY: boolean): { context: CliContext; output: () => string; signals: EventEmitter } {
  let output = '';
  const signals = new EventEmitter();
  return {
    context: { stdout: { write: (text: string) => (output += text), isTTY }, stderr: { write: () => undefined }, env: {}, signals, exit: () => undefined, clock: { now: () => Date.parse('2026-01-01T00:00:00Z') } },
    output: () => output,
    signals,
  };
}

describe('printRepeatedly', () => {
  it('prints once without an interval', async () => {
    const { context: ctx, output } = context(true);
    await printRepeatedly(undefined, 'table', ctx, () => Promise.resolve('table\n'));
    expect(output()).toBe('table\n');
  });

  it('clears a terminal before each table, and stops on SIGINT after the refresh in progress', async () => {
    const { context: ctx, output, signals } = context(true);
    let draws = 0;
    await printRepeatedly(100, 'table', ctx, () => {
      draws += 1;
      if (draws === 2) signals.emit('SIGINT');
      return Promise.resolve(`table ${draws}\n`);
    });
    expect(output()).toBe('\u001b[H\u001b[2Jtable 1\n\u001b[H\u001b[2Jtable 2\n');
    expect(signals.listenerCount('SIGINT')).toBe(0);
  });

  it('prints one YAML document per refresh', async () => {
    const { context: ctx, output, signals } = context(false);
    let draws = 0;
    await printRepeatedly(100, 'yaml', ctx, () => {
      draws += 1;
      if (draws === 2) signals.emit('SIGTERM');
      return Promise.resolve(`n: ${draws}\n`);
    });
    expect(output()).toBe('---\nn: 1\n---\nn: 2\n');
  });
});

describe('watchIntervalFromFlags', () => {
  it('is undefined without --watch, and reads --interval with it', () => {
    expect(watchIntervalFromFlags({ interval: '2s' })).toBeUndefined();
    expect(watchIntervalFromFlags({ watch: true, interval: '500ms' })).toBe(500);
  });

  it('rejects an interval that is not a duration of at least 100ms, naming --interval', () => {
    for (const interval of ['soon', '10ms']) {
      const error = thrownBy(() => watchIntervalFromFlags({ watch: true, interval }));
      expect(error).toBeInstanceOf(ValidationError);
      expect(error).toMatchObject({ field: '--interval' });
    }
  });
});
