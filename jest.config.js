// Unit tests: pure logic beside the code, plus static checks of the deploy manifests.
/** @type {import('jest').Config} */
module.exports = {
  rootDir: '.',
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test/deploy'],
  testRegex: '\\.spec\\.ts$',
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
  moduleNameMapper: { '^@baton/(.*)$': '<rootDir>/libs/$1/src' },
};
