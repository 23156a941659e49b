// @ts-check
'use strict';

const fs = require('node:fs');
const { stopServices } = require('../../../scripts/platform/launcher');
const { STATE_FILE } = require('./paths');

/** Stops every service with SIGTERM; one that needs SIGKILL is reported, since shutdown must be bounded. */
module.exports = async function globalTeardown() {
  const services = /** @type {any} */ (globalThis).__BATON_SERVICES__ ?? [];
  await stopRestarted(services.map((/** @type {any} */ s) => s.child.pid));
  const results = await stopServices(services, 15_000);
  const unclean = results.filter((r) => r.forced || (r.code !== 0 && r.code !== null));
  if (unclean.length > 0) {
    // Shutdown must be bounded and clean: a service that needed SIGKILL fails the run.
    throw new Error(`services that did not stop cleanly: ${JSON.stringify(unclean)}`);
  }
};

/**
 * Services a test restarted (after killing the original) are not our children;
 * they are in the state file with their new pid.
 * @param {number[]} ours
 */
async function stopRestarted(ours) {
  if (!fs.existsSync(STATE_FILE)) return;
  const state = JSON.parse(fs.readFileSync(STATE_FILE, 'utf8'));
  const others = state.services
    .map((/** @type {any} */ s) => s.pid)
    .filter((/** @type {number} */ pid) => !ours.includes(pid));
  for (const pid of others) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      continue; // already gone
    }
    for (let i = 0; i < 60 && isAlive(pid); i++)
      await new Promise((resolve) => setTimeout(resolve, 250));
    if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  }
}

/** @param {number} pid */
function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
