import type { AttemptRecord } from './attempt-ledger';
import { SuspectWindow, type WindowStep } from './suspect-window';

const options = { maxCrashes: 3, chunk: 4 };
const offsets = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => String(from + i));

/** Plans a whole batch the way the consumer walks it, returning every step. */
function walk(window: SuspectWindow, batch: string[]): WindowStep[] {
  const steps: WindowStep[] = [];
  let rest = batch;
  while (rest.length > 0) {
    const step = window.plan(rest);
    steps.push(step);
    rest = rest.slice(step.kind === 'poison' ? 1 : step.count);
  }
  return steps;
}

describe('SuspectWindow', () => {
  it('spans from the first fetched offset to the high-water mark, at most the cap', () => {
    expect(SuspectWindow.opening('10', '25', 100, undefined, options).end).toBe(25n);
    expect(SuspectWindow.opening('10', '25', 5, undefined, options).end).toBe(15n);
    expect(SuspectWindow.opening('10', '10', 100, undefined, options).end).toBe(10n);
  });

  it('guards the suspects in chunks, then lets the rest run free with no write', () => {
    const window = SuspectWindow.opening('10', '20', 100, undefined, options);
    expect(walk(window, offsets(10, 24))).toEqual([
      { kind: 'guarded', count: 4, record: { fromOffset: '10', toOffset: '13', attempts: 1 } },
      { kind: 'guarded', count: 4, record: { fromOffset: '14', toOffset: '17', attempts: 1 } },
      { kind: 'guarded', count: 2, record: { fromOffset: '18', toOffset: '19', attempts: 1 } },
      // Past the window: one write clears the record, so no later crash is blamed on 18-19.
      { kind: 'free', count: 5, clear: true },
    ]);
    expect(window.plan(offsets(25, 30))).toEqual({ kind: 'free', count: 6, clear: false });
  });

  it('writes nothing at all when nothing was suspect and nothing was left by the last owner', () => {
    const window = SuspectWindow.opening('10', '10', 100, undefined, options);
    expect(walk(window, offsets(10, 12))).toEqual([{ kind: 'free', count: 3, clear: false }]);
  });

  it('clears a record left by the last owner even when nothing is suspect now', () => {
    const previous = { fromOffset: '3', toOffset: '3', attempts: 1 };
    const window = SuspectWindow.opening('10', '10', 100, previous, options);
    expect(walk(window, offsets(10, 11))).toEqual([{ kind: 'free', count: 2, clear: true }]);
  });

  it('steps one message at a time through a chunk that was in hand when the process stopped', () => {
    const previous = { fromOffset: '12', toOffset: '15', attempts: 1 };
    const window = SuspectWindow.opening('10', '30', 100, previous, options);
    expect(walk(window, offsets(10, 21))).toEqual([
      // Finished but not committed before: a chunk that stops short of the suspects.
      { kind: 'guarded', count: 2, record: { fromOffset: '10', toOffset: '11', attempts: 1 } },
      ...offsets(12, 15).map((offset) => ({
        kind: 'guarded',
        count: 1,
        record: { fromOffset: offset, toOffset: offset, attempts: 2 },
      })),
      { kind: 'guarded', count: 4, record: { fromOffset: '16', toOffset: '19', attempts: 1 } },
      { kind: 'guarded', count: 2, record: { fromOffset: '20', toOffset: '21', attempts: 1 } },
    ]);
  });

  it('dead-letters a message the process stopped on maxCrashes times, and goes on', () => {
    const previous = { fromOffset: '12', toOffset: '12', attempts: 3 };
    const window = SuspectWindow.opening('12', '14', 100, previous, options);
    expect(walk(window, offsets(12, 15))).toEqual([
      { kind: 'poison', attempts: 3 },
      { kind: 'guarded', count: 1, record: { fromOffset: '13', toOffset: '13', attempts: 1 } },
      { kind: 'free', count: 2, clear: true },
    ]);
  });

  it('ignores a record of messages the group has already committed past', () => {
    const previous = { fromOffset: '2', toOffset: '5', attempts: 2 };
    const window = SuspectWindow.opening('6', '8', 100, previous, options);
    expect(window.plan(offsets(6, 7))).toEqual({
      kind: 'guarded',
      count: 2,
      record: { fromOffset: '6', toOffset: '7', attempts: 1 },
    });
  });

  it('follows the offsets fetched, gaps included (compacted or transactional topics)', () => {
    const window = SuspectWindow.opening('10', '40', 100, undefined, options);
    expect(window.plan(['10', '13', '20', '21', '35'])).toEqual({
      kind: 'guarded',
      count: 4,
      record: { fromOffset: '10', toOffset: '21', attempts: 1 },
    });
  });

  /**
   * The whole story as restarts see it: a message that kills the process
   * wherever it is handled. Each "process" walks from the committed offset
   * with what the last one wrote, until the message is dead-lettered.
   */
  it('dead-letters a killer after maxCrashes counted stops, however the window narrows', () => {
    const killer = 17n;
    let record: AttemptRecord | undefined;
    const committed = '10';
    let processes = 0;
    let poisoned: number | undefined;
    let found: AttemptRecord | undefined;
    while (poisoned === undefined && processes < 10) {
      processes++;
      found = record;
      const window = SuspectWindow.opening(committed, '40', 1000, record, options);
      let rest = offsets(10, 39);
      for (;;) {
        const step = window.plan(rest);
        if (step.kind === 'poison') {
          poisoned = step.attempts;
          break;
        }
        if (step.kind === 'guarded') record = step.record;
        const handled = rest.slice(0, step.count);
        if (handled.some((offset) => BigInt(offset) === killer)) break; // the process dies
        rest = rest.slice(step.count);
      }
    }
    expect(poisoned).toBe(3);
    // One stop with a chunk in hand, two with the killer alone, then the dead letter.
    expect(processes).toBe(4);
    expect(found).toEqual({ fromOffset: '17', toOffset: '17', attempts: 3 });
  });
});
