/** @type {import('jest').Config} */
export default {
  preset: 'ts-jest/presets/default-esm',
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  moduleNameMapper: {'^(\\.{1,2}/.*)\\.js$': '$1'},
  transform: {'^.+\\.ts$': ['ts-jest', {useESM: true, tsconfig: 'tsconfig.test.json'}]},
  reporters: ['default', '<rootDir>/test/support/count-reporter.cjs'],
  // Generous: suites start real dockerd and dnsmasq and compile TypeScript on first import; CI machines have 2 cores.
  testTimeout: 120000,
  // The real control plane (test/cluster) starts on demand and is stopped after the run.
  globalSetup: '<rootDir>/test/support/cluster-setup.mjs',
  globalTeardown: '<rootDir>/test/support/cluster-teardown.mjs',
}
