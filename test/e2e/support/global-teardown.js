// @ts-check
'use strict';

const { stopServices } = require('../../../scripts/platform/launcher');

/** Stops every service with SIGTERM; one that needs SIGKILL is reported, since shutdown must be bounded. */
module.exports = async function globalTeardown() {
  const services = /** @type {any} */ (globalThis).__BATON_SERVICES__ ?? [];
  const results = await stopServices(services, 15_000);
  const unclean = results.filter((r) => r.forced || (r.code !== 0 && r.code !== null));
  if (unclean.length > 0) {
    // Shutdown must be bounded and clean: a service that needed SIGKILL fails the run.
    throw new Error(`services that did not stop cleanly: ${JSON.stringify(unclean)}`);
  }
};
