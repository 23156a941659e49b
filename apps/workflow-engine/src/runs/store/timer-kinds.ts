/**
 * Timer kinds in the `timers` table. Besides real timers (timeouts, backoff),
 * due-now rows carry work between runs (start a child, tell a parent its child
 * finished, cancel a child) and events that ended a wait while the run was
 * paused: each is then handled in its own transaction that locks only the run
 * it targets, so two runs never lock each other.
 */
export const TimerKinds = {
  stepTimeout: 'step-timeout',
  retry: 'retry',
  runTimeout: 'run-timeout',
  startChild: 'start-child',
  childFinished: 'child-finished',
  cancelRun: 'cancel-run',
  waitEvent: 'wait-event',
} as const;

/**
 * The kinds that measure the run's time. A paused run's clock stands still:
 * on resume these move later by the paused time, while the others (signals
 * that were due when they arrived) fire at once.
 */
export const CLOCK_TIMER_KINDS: readonly string[] = [
  TimerKinds.stepTimeout,
  TimerKinds.retry,
  TimerKinds.runTimeout,
];
