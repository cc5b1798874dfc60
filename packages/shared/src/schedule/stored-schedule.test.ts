import { parseStoredSchedule } from './stored-schedule';

const state = { version: '3', createdAt: '1000', updatedAt: '2000', last: '1500', next: '', nextAt: '', paused: '0', pausedAt: '' };
const definition = (task: string) => JSON.stringify({ id: 's', task });

describe('parseStoredSchedule', () => {
  it.each([
    // [name, hash, definition key's value, task read (undefined: no schedule)]
    ['the definition from its own key', state, definition('current'), 'current'],
    ['the older layout: the definition in the hash', { ...state, spec: definition('legacy') }, null, 'legacy'],
    ['the definition key over a `spec` field left in the hash', { ...state, spec: definition('legacy') }, definition('current'), 'current'],
    ['no schedule: an empty hash', {}, null, undefined],
    ['no schedule: an empty hash beside a stray definition', {}, definition('stray'), undefined],
    ['no schedule: state without any definition', state, null, undefined],
  ])('reads %s', (_name, hash: Record<string, string>, json, task) => {
    expect(parseStoredSchedule(hash, json)?.spec.task).toBe(task);
  });

  it('reads the state from the hash', () => {
    expect(parseStoredSchedule(state, definition('t'))).toMatchObject({ version: 3, createdAtMs: 1000, updatedAtMs: 2000, lastNominalMs: 1500, nextNominalMs: undefined, paused: false });
  });
});
