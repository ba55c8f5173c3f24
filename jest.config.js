// Jest in four tiers (`npm run test:unit` etc. pick one; `npm test` runs them all):
//   unit        src/**/*.spec.ts — no database, no Redis, no build
//   integration test/integration — real PostgreSQL and Redis, worker child processes from dist/
//   e2e         test/e2e — the whole app over HTTP (supertest)
//   corpus      test/corpus — the shared fixture corpus in ../shared/fixtures
// Tiers that need services create this run's template database and Redis prefix once
// (test/setup/global-setup.ts, idempotent when several tiers run together).
const base = {
  rootDir: __dirname,
  moduleFileExtensions: ['js', 'json', 'ts'],
  transform: { '^.+\\.ts$': 'ts-jest' },
  testEnvironment: 'node',
};
const withServices = {
  globalSetup: '<rootDir>/test/setup/global-setup.ts',
  globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
};

module.exports = {
  testTimeout: 60000,
  projects: [
    { ...base, displayName: 'unit', roots: ['<rootDir>/src'], testRegex: '\\.spec\\.ts$' },
    {
      ...base,
      ...withServices,
      displayName: 'integration',
      roots: ['<rootDir>/test/integration'],
      testRegex: '\\.int-spec\\.ts$',
    },
    {
      ...base,
      ...withServices,
      displayName: 'e2e',
      roots: ['<rootDir>/test/e2e'],
      testRegex: '\\.e2e-spec\\.ts$',
    },
    {
      ...base,
      displayName: 'corpus',
      roots: ['<rootDir>/test/corpus'],
      testRegex: '\\.corpus-spec\\.ts$',
    },
  ],
};
