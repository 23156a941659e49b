// @ts-check
'use strict';

const {
  restartDelay,
  nextAttempt,
  freshLiveness,
  observeLiveness,
  describeExit,
  formatDelay,
} = require('./supervision');

const policy = {
  baseDelayMs: 1000,
  maxDelayMs: 30_000,
  stableAfterMs: 60_000,
  livenessTimeoutMs: 3000,
  livenessIntervalMs: 5000,
  livenessFailures: 3,
};

describe('restart backoff', () => {
  it('doubles from the base delay up to the cap', () => {
    const schedule = [0, 1, 2, 3, 4, 5, 6, 7].map((attempt) => restartDelay(attempt, policy));
    expect(schedule).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
  });

  it('stays at the cap however many restarts there were', () => {
    expect(restartDelay(5000, policy)).toBe(30_000);
  });

  it('starts over after a run that lasted stableAfterMs', () => {
    expect(nextAttempt(6, 60_000, policy)).toBe(0);
    expect(nextAttempt(6, 59_999, policy)).toBe(6);
    expect(nextAttempt(0, 10, policy)).toBe(0);
  });
});

describe('hang decision', () => {
  /** @param {boolean[]} outcomes */
  const replay = (outcomes) => {
    let state = freshLiveness();
    const verdicts = [];
    for (const answered of outcomes) {
      const verdict = observeLiveness(state, answered, policy);
      state = verdict.state;
      verdicts.push(verdict.hung);
    }
    return verdicts;
  };

  it('is hung after livenessFailures misses in a row', () => {
    expect(replay([true, false, false, false])).toEqual([false, false, false, true]);
  });

  it('forgives misses that an answer interrupts', () => {
    expect(replay([true, false, false, true, false, false])).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  it('never calls a process that has not answered yet hung: it is still starting', () => {
    expect(replay([false, false, false, false, false])).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
    expect(replay([false, false, false, true, false, false, false])).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
      true,
    ]);
  });
});

describe('log wording', () => {
  it('names a signal or an exit code', () => {
    expect(describeExit(null, 'SIGKILL')).toBe('signal SIGKILL');
    expect(describeExit(1, null)).toBe('exit code 1');
  });

  it('writes short delays in ms and others in seconds', () => {
    expect(formatDelay(250)).toBe('250 ms');
    expect(formatDelay(2000)).toBe('2 s');
    expect(formatDelay(1500)).toBe('1.5 s');
  });
});
