// End-to-end tests: every service runs as its own process on the real Kafka and
// Postgres (started by scripts/infra); tests talk to Baton only as users do.
/** @type {import('jest').Config} */
module.exports = {
  rootDir: '..',
  roots: ['<rootDir>/test/e2e'],
  testRegex: '\\.e2e-spec\\.ts$',
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
  moduleNameMapper: { '^@baton/(.*)$': '<rootDir>/libs/$1/src' },
  globalSetup: '<rootDir>/test/e2e/support/global-setup.js',
  globalTeardown: '<rootDir>/test/e2e/support/global-teardown.js',
  testTimeout: 60_000,
  testSequencer: '<rootDir>/test/e2e/support/sequencer.js',
};
