// Repository tests: each `*.repository.spec.ts` (beside its repository) runs the repository's
// SQL against the real Postgres, without Kafka or the services. The global setup gives the run a
// database of its own (BATON_REPOSITORY_DATABASE, default baton_repo_test, dropped and created
// afresh); each spec applies its service's migrations to it (test/repositories/service-database.ts).
// One worker: two specs of one service would otherwise race on its migrations.
/** @type {import('jest').Config} */
module.exports = {
  rootDir: '..',
  roots: ['<rootDir>/apps', '<rootDir>/libs'],
  testRegex: '\\.repository\\.spec\\.ts$',
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
  moduleNameMapper: { '^@baton/(.*)$': '<rootDir>/libs/$1/src' },
  globalSetup: '<rootDir>/test/repositories/global-setup.js',
  maxWorkers: 1,
  testTimeout: 30_000,
};
