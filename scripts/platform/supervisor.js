// @ts-check
'use strict';

const { probe } = require('./http-probe');
const {
  DEFAULT_POLICY,
  restartDelay,
  nextAttempt,
  freshLiveness,
  observeLiveness,
  describeExit,
  formatDelay,
} = require('./supervision');

/**
 * @typedef {import('node:child_process').ChildProcess} ChildProcess
 * @typedef {{ child: ChildProcess }} Started
 */

/**
 * Keeps one process running for `npm run up`: restarts it when it dies (with
 * the backoff of supervision.js) and kills it when its /health/live stops
 * answering (a hung event loop never exits by itself). Exits before `arm()`
 * are left to the caller: a service that cannot start at all is reported,
 * not retried forever.
 * @template {Started} T
 */
/** @param {ChildProcess} child */
const running = (child) => child.exitCode === null && child.signalCode === null;

class Supervisor {
  /**
   * @param {{
   *   name: string,
   *   start: () => T,
   *   liveUrl?: string,
   *   readyUrl?: string,
   *   ca?: string,
   *   log: (line: string) => void,
   *   policy?: import('./supervision').SupervisionPolicy,
   * }} options
   */
  constructor(options) {
    this.options = options;
    this.policy = options.policy ?? DEFAULT_POLICY;
    this.attempts = 0;
    this.armed = false;
    this.stopping = false;
    /** @type {NodeJS.Timeout | undefined} */
    this.restartTimer = undefined;
    /** @type {NodeJS.Timeout | undefined} */
    this.livenessTimer = undefined;
    /** @type {T} */
    this.current = this.launch();
  }

  /** From now on a death means a restart. */
  arm() {
    this.armed = true;
  }

  /** @returns {T} */
  launch() {
    const started = Date.now();
    const current = this.options.start();
    current.child.once('exit', (code, signal) =>
      this.onExit(current, Date.now() - started, code, signal),
    );
    this.watchLiveness(current);
    return current;
  }

  /**
   * @param {T} which
   * @param {number} uptimeMs
   * @param {number | null} code
   * @param {string | null} signal
   */
  onExit(which, uptimeMs, code, signal) {
    if (which !== this.current) return;
    clearInterval(this.livenessTimer);
    if (this.stopping || !this.armed) return;
    const attempt = nextAttempt(this.attempts, uptimeMs, this.policy);
    const delay = restartDelay(attempt, this.policy);
    this.attempts = attempt + 1;
    this.options.log(
      `[supervisor] ${this.options.name} died (${describeExit(code, signal)}) after ${formatDelay(uptimeMs)}; ` +
        `restart #${this.attempts} in ${formatDelay(delay)}`,
    );
    this.restartTimer = setTimeout(() => {
      if (this.stopping) return;
      this.current = this.launch();
      this.options.log(
        `[supervisor] ${this.options.name} restarted (pid ${this.current.child.pid})`,
      );
      void this.reportReady(this.current);
    }, delay);
  }

  /**
   * Says when a restarted service is ready again, so the log shows the
   * restart worked and not only that it was tried.
   * @param {T} which
   */
  async reportReady(which) {
    const url = this.options.readyUrl;
    if (!url) return;
    const started = Date.now();
    while (which === this.current && !this.stopping && running(which.child)) {
      const ready = await probe(url, { timeoutMs: 2000, ca: this.options.ca }).then(
        (response) => response.status === 200,
        () => false,
      );
      if (ready && which === this.current && !this.stopping) {
        this.options.log(
          `[supervisor] ${this.options.name} ready again after ${formatDelay(Date.now() - started)}`,
        );
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }

  /** @param {T} which */
  watchLiveness(which) {
    const url = this.options.liveUrl;
    if (!url) return;
    let state = freshLiveness();
    let polling = false;
    this.livenessTimer = setInterval(async () => {
      if (polling || !this.armed || this.stopping || which !== this.current) return;
      polling = true;
      const answered = await probe(url, {
        timeoutMs: this.policy.livenessTimeoutMs,
        ca: this.options.ca,
      }).then(
        (response) => response.status === 200,
        () => false,
      );
      polling = false;
      const verdict = observeLiveness(state, answered, this.policy);
      state = verdict.state;
      if (verdict.hung && which === this.current && !this.stopping) {
        clearInterval(this.livenessTimer);
        this.options.log(
          `[supervisor] ${this.options.name} hung: /health/live did not answer within ` +
            `${formatDelay(this.policy.livenessTimeoutMs)} ${state.failures} times in a row; killing it (SIGKILL)`,
        );
        which.child.kill('SIGKILL');
      }
    }, this.policy.livenessIntervalMs);
  }

  /**
   * No restart from now on; SIGTERM, then SIGKILL after `graceMs`.
   * @returns {Promise<{ name: string, code: number | null, forced: boolean }>}
   */
  async stop(graceMs = 15_000) {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    clearInterval(this.livenessTimer);
    const { child } = this.current;
    const name = this.options.name;
    if (!running(child)) {
      return { name, code: child.exitCode, forced: false };
    }
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
    return { name, code: child.exitCode, forced: child.signalCode === 'SIGKILL' };
  }
}

module.exports = { Supervisor };
