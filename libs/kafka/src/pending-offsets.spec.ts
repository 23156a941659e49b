import { byTopic, PendingOffsets } from './pending-offsets';

describe('PendingOffsets', () => {
  let clock: number;
  const pendingEvery = (ms: number) => new PendingOffsets(ms, () => clock);
  beforeEach(() => (clock = 1_000));

  it('keeps the offset after the last finished message of each partition', () => {
    const pending = pendingEvery(1_000);
    pending.finished('results', 0, '41');
    pending.finished('results', 0, '42');
    pending.finished('results', 1, '7');
    pending.finished('tasks', 0, '9007199254740993'); // beyond a double's precision
    expect(pending.take()).toEqual([
      { topic: 'results', partition: 0, offset: '43' },
      { topic: 'results', partition: 1, offset: '8' },
      { topic: 'tasks', partition: 0, offset: '9007199254740994' },
    ]);
    expect(pending.isEmpty).toBe(true);
  });

  it('is due at once after dueNow (a suspect window passed), then by the interval again', () => {
    const pending = pendingEvery(60_000);
    pending.dueNow();
    expect(pending.isDue()).toBe(false); // nothing finished yet
    pending.finished('commands', 0, '10');
    expect(pending.isDue()).toBe(true);
    pending.take();
    pending.finished('commands', 0, '11');
    expect(pending.isDue()).toBe(false);
  });

  it('is due once per interval, and only with something to commit', () => {
    const pending = pendingEvery(1_000);
    clock += 5_000;
    expect(pending.isDue()).toBe(false); // nothing finished
    pending.finished('results', 0, '1');
    expect(pending.isDue()).toBe(true);
    pending.take();
    pending.finished('results', 0, '2');
    clock += 999;
    expect(pending.isDue()).toBe(false);
    clock += 1;
    expect(pending.isDue()).toBe(true);
  });

  it('is due after every batch with an interval of 0, yet checked when idle only to retry', () => {
    const pending = pendingEvery(0);
    pending.finished('commands', 0, '1');
    expect(pending.isDue()).toBe(true);
    pending.take();
    pending.finished('commands', 0, '2');
    expect(pending.isDue()).toBe(true); // no time has passed: still due
    expect(pending.idleCheckEveryMs).toBe(1_000); // a 0 ms timer would spin
    expect(pendingEvery(250).idleCheckEveryMs).toBe(250);
  });

  it('puts back a failed commit without undoing newer progress', () => {
    const pending = pendingEvery(1_000);
    pending.finished('results', 0, '10');
    pending.finished('results', 1, '20');
    const failed = pending.take();
    pending.finished('results', 0, '11'); // finished while the commit was failing
    pending.putBack(failed);
    expect(pending.take()).toEqual([
      { topic: 'results', partition: 0, offset: '12' },
      { topic: 'results', partition: 1, offset: '21' },
    ]);
  });

  it('forgets an old generation after a rebalance', () => {
    const pending = pendingEvery(1_000);
    pending.finished('results', 0, '10');
    pending.clear();
    expect(pending.take()).toEqual([]);
  });

  it('groups offsets by topic for a commit from inside a batch', () => {
    expect(
      byTopic([
        { topic: 'a', partition: 0, offset: '1' },
        { topic: 'b', partition: 2, offset: '5' },
        { topic: 'a', partition: 1, offset: '3' },
      ]),
    ).toEqual({
      topics: [
        {
          topic: 'a',
          partitions: [
            { partition: 0, offset: '1' },
            { partition: 1, offset: '3' },
          ],
        },
        { topic: 'b', partitions: [{ partition: 2, offset: '5' }] },
      ],
    });
  });
});
