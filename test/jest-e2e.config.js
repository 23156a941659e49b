// End-to-end tests: every service runs as its own process on the real Kafka and
// Postgres (started by scripts/infra); tests talk to Baton only as users do.
//
// The suite runs on a broker with SASL/SCRAM and ACLs unless BATON_KAFKA_SECURITY says otherwise
// (none: PLAINTEXT): each service under its own principal, the tests' agent workers under the
// default workspace's (ADR 0018). Set here, before global setup and every spec, so `npm run
// test:e2e` and a single spec run by `npx jest --config test/jest-e2e.config.js` agree.
process.env.BATON_KAFKA_SECURITY ||= 'sasl';

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
  setupFiles: ['<rootDir>/test/e2e/support/worker-credential.ts'],
  testTimeout: 60_000,
  // After the last spec and the global teardown, exit: kafka-heal wipes and restarts the broker
  // under the suite's own admin clients, and on a SASL broker one kafkajs connection from before
  // the wipe stays open until the broker drops idle connections (connections.max.idle.ms, 10
  // minutes), holding CI for nothing. Every assertion has run by then.
  forceExit: true,
  testSequencer: '<rootDir>/test/e2e/support/sequencer.js',
};
