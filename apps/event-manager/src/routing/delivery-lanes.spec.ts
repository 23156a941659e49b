import { afterFailure, pickDeliverable, type WindowRow } from './delivery-lanes';

const row = (id: number, lane: string, due = true, free = true, channel = 'sub:a'): WindowRow => ({
  id: String(id),
  channel,
  lane,
  due,
  free,
});

describe('pickDeliverable', () => {
  it('takes consecutive due rows from each lane head', () => {
    const picked = pickDeliverable([row(1, 'x'), row(2, 'y'), row(3, 'x'), row(4, 'y')]);
    expect(picked.map((r) => r.id)).toEqual(['1', '2', '3', '4']);
  });

  it('skips a whole lane whose head waits for its retry, so nothing overtakes it', () => {
    const picked = pickDeliverable([row(1, 'x', false), row(2, 'y'), row(3, 'x')]);
    expect(picked.map((r) => r.id)).toEqual(['2']);
  });

  it('stops a lane at a row another dispatcher is delivering', () => {
    const picked = pickDeliverable([row(1, 'x', true, false), row(2, 'x'), row(3, 'z')]);
    expect(picked.map((r) => r.id)).toEqual(['3']);
  });

  it('keeps lanes of different channels apart', () => {
    const picked = pickDeliverable([
      row(1, 'x', false, true, 'sub:a'),
      row(2, 'x', true, true, 'sub:b'),
    ]);
    expect(picked.map((r) => r.id)).toEqual(['2']);
  });

  it('takes at most maxPerLane rows of one lane per round', () => {
    const picked = pickDeliverable([row(1, 'x'), row(2, 'x'), row(3, 'x'), row(4, 'y')], 2);
    expect(picked.map((r) => r.id)).toEqual(['1', '2', '4']);
  });
});

describe('afterFailure', () => {
  const settings = { maxAttempts: 3, initialDelayMs: 100, maxDelayMs: 250 };

  it('backs off exponentially with jitter, capped', () => {
    expect(afterFailure(settings, 1, false, () => 1)).toEqual({ dead: false, delayMs: 100 });
    expect(afterFailure(settings, 2, false, () => 0)).toEqual({ dead: false, delayMs: 100 });
    expect(afterFailure(settings, 2, false, () => 1)).toEqual({ dead: false, delayMs: 200 });
  });

  it('dead-letters after the last attempt, or at once when retrying cannot help', () => {
    expect(afterFailure(settings, 3, false)).toEqual({ dead: true });
    expect(afterFailure(settings, 1, true)).toEqual({ dead: true });
  });
});
