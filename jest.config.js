// ESM TypeScript through @swc/jest: no compiler API needed, so it does not depend on typescript@5.x.
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'es6' } }],
  },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testTimeout: 120000,
  maxWorkers: 2,
  // One temporary folder per run, removed afterwards (tests/setup/tmpdir-setup.js says why).
  globalSetup: '<rootDir>/tests/setup/tmpdir-setup.js',
  globalTeardown: '<rootDir>/tests/setup/tmpdir-teardown.js',
};
