import { EventEmitter } from 'node:events';
import { listenForStop } from './stop-signals';

describe('listenForStop', () => {
  it('resolves with the first stop signal and reports the ones after it', async () => {
    const signals = new EventEmitter();
    const repeats: string[] = [];
    const stop = listenForStop(signals, (signal) => repeats.push(signal));
    signals.emit('SIGINT');
    signals.emit('SIGTERM');
    await expect(stop.first).resolves.toBe('SIGINT');
    expect(repeats).toEqual(['SIGTERM']);
    stop.dispose();
    expect(signals.listenerCount('SIGTERM') + signals.listenerCount('SIGINT')).toBe(0);
  });
});
