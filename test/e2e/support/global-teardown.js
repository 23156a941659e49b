// @ts-check
'use strict';

const fs = require('node:fs');
const { stopServices, tail } = require('../../../scripts/platform/launcher');
const { STATE_FILE } = require('./paths');

/** Stops every service with SIGTERM; one that needs SIGKILL is reported, since shutdown must be bounded. */
module.exports = async function globalTeardown() {
  const services = /** @type {any} */ (globalThis).__BATON_SERVICES__ ?? [];
  const crashed = unexpectedExits(services);
  const results = await stopServices(services, 15_000);
  results.push(...(await stopRestarted(services)));
  const unclean = results.filter((r) => r.forced || (r.code !== 0 && r.code !== null));
  if (crashed.length > 0) {
    // A service that died mid-suite fails every later test with "fetch failed";
    // its last lines are the only clue, so they go into the CI output.
    for (const s of crashed) {
      process.stderr.write(`\n${s.name} exited during the suite; last lines of ${s.logFile}:\n`);
      process.stderr.write(`${tail(s.logFile, 40)}\n`);
    }
    throw new Error(`services that exited during the suite: ${crashed.map((s) => s.name)}`);
  }
  if (unclean.length > 0) {
    // Shutdown must be bounded and clean: a service that needed SIGKILL fails the run.
    throw new Error(`services that did not stop cleanly: ${JSON.stringify(unclean)}`);
  }
};

/**
 * Own children that were already gone before teardown and that no test
 * restarted (a restarted service has a new pid in the state file).
 * @param {{ name: string, logFile: string, child: { pid?: number, exitCode: number | null, signalCode: string | null } }[]} own
 */
function unexpectedExits(own) {
  if (!fs.existsSync(STATE_FILE)) return [];
  const state = JSON.parse(fs.readFileSync(STATE_FILE, 'utf8'));
  const recordedPid = new Map(
    state.services.map((/** @type {{ name: string, pid: number }} */ s) => [s.name, s.pid]),
  );
  return own.filter(
    (s) =>
      (s.child.exitCode !== null || s.child.signalCode !== null) &&
      recordedPid.get(s.name) === s.child.pid,
  );
}

/**
 * Services a test killed and started again (support/service-control.ts) are
 * not this process's children any more: stop them by the pid the state file
 * records, with the same SIGTERM-then-SIGKILL bound.
 * @param {{ child: { pid?: number } }[]} own
 */
async function stopRestarted(own) {
  if (!fs.existsSync(STATE_FILE)) return [];
  const state = JSON.parse(fs.readFileSync(STATE_FILE, 'utf8'));
  const ownPids = new Set(own.map((s) => s.child.pid));
  const alive = (/** @type {number} */ pid) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  /** @type {{ name: string, pid: number }[]} */
  const restarted = state.services.filter(
    (/** @type {{ pid: number }} */ s) => !ownPids.has(s.pid) && alive(s.pid),
  );
  return Promise.all(
    restarted.map(async ({ name, pid }) => {
      process.kill(pid, 'SIGTERM');
      const deadline = Date.now() + 15_000;
      while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      const forced = alive(pid);
      if (forced) process.kill(pid, 'SIGKILL');
      return { name, code: null, forced };
    }),
  );
}
