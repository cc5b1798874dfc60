import { oneLine } from './one-line';

describe('oneLine', () => {
  it('joins lines with single spaces and trims the ends', () => {
    expect(oneLine('  first\n  second \n third\n')).toBe('first second third');
  });
});
