import { nextState, type RuleState } from './alert-state';

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
const ok: RuleState = { state: 'ok', since: null };

describe('alert state machine', () => {
  it('fires at once without a for', () => {
    expect(nextState(ok, true, 0, at(0))).toEqual({
      next: { state: 'firing', since: at(0) },
      transition: { from: 'ok', to: 'firing' },
    });
  });

  it('is pending until the condition held for `for`, then fires', () => {
    const pending = nextState(ok, true, 10_000, at(0));
    expect(pending.transition).toEqual({ from: 'ok', to: 'pending' });
    const still = nextState(pending.next, true, 10_000, at(5));
    expect(still).toEqual({ next: { state: 'pending', since: at(0) }, transition: null });
    expect(nextState(still.next, true, 10_000, at(10)).transition).toEqual({
      from: 'pending',
      to: 'firing',
    });
  });

  it('goes back to ok from pending when the condition stops holding', () => {
    const pending = nextState(ok, true, 10_000, at(0)).next;
    expect(nextState(pending, false, 10_000, at(3)).transition).toEqual({
      from: 'pending',
      to: 'ok',
    });
  });

  it('stays firing without a new transition, resolves once, then is ok', () => {
    const firing: RuleState = { state: 'firing', since: at(0) };
    expect(nextState(firing, true, 0, at(9)).transition).toBeNull();
    const resolved = nextState(firing, false, 0, at(10));
    expect(resolved.transition).toEqual({ from: 'firing', to: 'resolved' });
    expect(nextState(resolved.next, false, 0, at(11)).transition).toEqual({
      from: 'resolved',
      to: 'ok',
    });
    expect(nextState(resolved.next, true, 0, at(11)).transition).toEqual({
      from: 'resolved',
      to: 'firing',
    });
  });
});
