import { FireRecorder } from '../../bench/lib/fire-recorder';

// The precision benchmark's verdicts (lost, duplicate, early, slow seconds) come from these counts.

const START = 1_000_000;

describe('FireRecorder', () => {
  it('counts lost, duplicate and early fires of the window only', () => {
    const recorder = new FireRecorder();
    recorder.record('before-window', START - 1_000, START - 1_000);
    recorder.setWindow(START, START + 3_000);
    recorder.record('a@0', START, START + 5);
    recorder.record('a@0', START, START + 9);
    recorder.record('b@0', START, START - 2);
    recorder.record('a@1', START + 1_000, START + 1_000);
    recorder.record('after-window', START + 3_000, START + 3_000);

    // Two schedules, three seconds: six fire times expected, three handled.
    expect(recorder.tally(2)).toMatchObject({ expected: 6, handled: 3, lost: 3, duplicates: 1, early: 1 });
    expect(recorder.firstCalls().map((call) => call.startedMs - call.nominalMs)).toEqual([5, -2, 0]);
  });

  it('does not count a start 1 ms before its time as early: clocks read whole milliseconds', () => {
    const recorder = new FireRecorder();
    recorder.setWindow(START, START + 1_000);
    recorder.record('a@0', START, START - 1);
    expect(recorder.tally(1).early).toBe(0);
  });

  it('counts the seconds in which some handler started more than 100 ms late, and names the worst', () => {
    const recorder = new FireRecorder();
    recorder.setWindow(START, START + 3_000);
    recorder.record('a@0', START, START + 100);
    recorder.record('a@1', START + 1_000, START + 1_000 + 20);
    recorder.record('b@1', START + 1_000, START + 1_000 + 150);
    recorder.record('a@2', START + 2_000, START + 2_000 + 101);

    expect(recorder.tally(2)).toMatchObject({ instants: 3, slowInstants: 2, worstInstant: { atS: 1, latenessMs: 150 } });
  });
});
