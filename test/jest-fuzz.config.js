// The long fuzz run (`npm run test:fuzz`): the e2e platform, thousands of cases.
// Counts and seed come from BATON_FUZZ_* (see test/e2e/support/fuzz/fuzz-settings.ts).
const e2e = require('./jest-e2e.config.js');

/** @type {import('jest').Config} */
module.exports = {
  ...e2e,
  roots: ['<rootDir>/test/fuzz'],
  testRegex: '\\.fuzz-spec\\.ts$',
  testTimeout: 60 * 60_000,
};
