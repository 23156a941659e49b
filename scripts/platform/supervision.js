// @ts-check
'use strict';

/**
 * The decisions of `npm run up`'s supervisor, kept free of processes and
 * timers so they can be tested: how long to wait before a restart, and when
 * a service that still runs counts as hung.
 */

/**
 * @typedef {{
 *   baseDelayMs: number,
 *   maxDelayMs: number,
 *   stableAfterMs: number,
 *   livenessTimeoutMs: number,
 *   livenessIntervalMs: number,
 *   livenessFailures: number,
 * }} SupervisionPolicy
 */

/** @type {SupervisionPolicy} */
const DEFAULT_POLICY = {
  // 1 s, 2 s, 4 s … 30 s: a service that dies at once (a bad migration, Kafka
  // gone) is retried without flooding its log or the CPU the others need.
  baseDelayMs: 1000,
  maxDelayMs: 30_000,
  // Up this long and the next death is treated as a new problem, not the same one again.
  stableAfterMs: 60_000,
  // /health/live does no I/O: only a blocked event loop makes it take seconds.
  livenessTimeoutMs: 3000,
  livenessIntervalMs: 5000,
  // Three misses in a row (about 15-25 s): one long GC pause or a busy start is not a hang.
  livenessFailures: 3,
};

/**
 * The delay before restart number `attempt` (0 for the first after a stable run).
 * @param {number} attempt
 * @param {Pick<SupervisionPolicy, 'baseDelayMs' | 'maxDelayMs'>} policy
 */
function restartDelay(attempt, policy = DEFAULT_POLICY) {
  const exponent = Math.min(Math.max(attempt, 0), 30); // 2 ** 31 is past any cap
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** exponent);
}

/**
 * After a process exits: which attempt the coming restart is. A process that
 * stayed up `stableAfterMs` starts the schedule over.
 * @param {number} previousAttempts restarts in a row so far
 * @param {number} uptimeMs how long the process that just exited ran
 * @param {Pick<SupervisionPolicy, 'stableAfterMs'>} policy
 */
function nextAttempt(previousAttempts, uptimeMs, policy = DEFAULT_POLICY) {
  return uptimeMs >= policy.stableAfterMs ? 0 : previousAttempts;
}

/**
 * @typedef {{ seenLive: boolean, failures: number }} LivenessState
 */

/** @returns {LivenessState} */
function freshLiveness() {
  return { seenLive: false, failures: 0 };
}

/**
 * One /health/live poll's outcome folded into the state. Misses count only
 * once the process has answered at least once: before that it is starting
 * (not listening yet), which is not a hang.
 * @param {LivenessState} state
 * @param {boolean} answered
 * @param {Pick<SupervisionPolicy, 'livenessFailures'>} policy
 * @returns {{ state: LivenessState, hung: boolean }}
 */
function observeLiveness(state, answered, policy = DEFAULT_POLICY) {
  if (answered) return { state: { seenLive: true, failures: 0 }, hung: false };
  if (!state.seenLive) return { state, hung: false };
  const failures = state.failures + 1;
  return { state: { seenLive: true, failures }, hung: failures >= policy.livenessFailures };
}

/**
 * How an exit reads in the log: `exit code 1` or `signal SIGKILL`.
 * @param {number | null} code
 * @param {string | null} signal
 */
function describeExit(code, signal) {
  return signal ? `signal ${signal}` : `exit code ${code}`;
}

/** @param {number} ms */
function formatDelay(ms) {
  return ms < 1000 ? `${ms} ms` : `${+(ms / 1000).toFixed(1)} s`;
}

module.exports = {
  DEFAULT_POLICY,
  restartDelay,
  nextAttempt,
  freshLiveness,
  observeLiveness,
  describeExit,
  formatDelay,
};
