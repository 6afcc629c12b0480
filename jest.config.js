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
}
