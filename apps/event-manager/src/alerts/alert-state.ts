/**
 * A rule's state machine: ok → pending (while the condition has held for
 * less than `for`) → firing → resolved (the condition stopped holding after
 * firing). A resolved rule is ok again on the next round it does not hold,
 * and pending again if it does. Pure: the evaluator feeds it one observation
 * per round and records what it returns.
 */
export type AlertState = 'ok' | 'pending' | 'firing' | 'resolved';

export interface RuleState {
  state: AlertState;
  /** When the condition started holding (pending and firing), else null. */
  since: Date | null;
}

export interface Transition {
  from: AlertState;
  to: AlertState;
}

/** Which transitions are worth a notification (the others are only history). */
export const NOTIFIED_TRANSITIONS: readonly AlertState[] = ['firing', 'resolved'];

export function nextState(
  current: RuleState,
  holds: boolean,
  forMs: number,
  now: Date,
): { next: RuleState; transition: Transition | null } {
  const move = (to: AlertState, since: Date | null) => ({
    next: { state: to, since },
    transition: to === current.state ? null : { from: current.state, to },
  });
  if (holds) {
    const since = current.state === 'pending' || current.state === 'firing' ? current.since! : now;
    if (current.state === 'firing') return move('firing', since);
    if (now.getTime() - since.getTime() >= forMs) return move('firing', since);
    return move('pending', since);
  }
  if (current.state === 'firing') return move('resolved', null);
  return move('ok', null);
}
