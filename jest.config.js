// Unit tests: pure logic beside the code, plus static checks of the deploy manifests.
// The scripts are plain JS (// @ts-check), so their specs are too. sdks/python's
// unittest suite runs from a spec there.
/** @type {import('jest').Config} */
module.exports = {
  rootDir: '.',
  roots: [
    '<rootDir>/apps',
    '<rootDir>/libs',
    '<rootDir>/test/deploy',
    '<rootDir>/scripts',
    '<rootDir>/sdks',
  ],
  testRegex: '\\.spec\\.ts$|/scripts/.*\\.spec\\.js$',
  // Repository specs need Postgres: their own tier (test/jest-repositories.config.js).
  testPathIgnorePatterns: ['/node_modules/', '\\.repository\\.spec\\.ts$'],
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
  moduleNameMapper: { '^@baton/(.*)$': '<rootDir>/libs/$1/src' },
};
