/** One jest run for the whole monorepo; TypeScript is compiled by swc (type checking is `npm run build`). */
const swc = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    target: 'es2022',
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};

const ESM_PACKAGE_NAMES = ['@keycloak/keycloak-admin-client/', 'camelize-ts/', 'url-template/'];
const ESM_PACKAGES = `/node_modules/(${ESM_PACKAGE_NAMES.join('|')})`;

/** What every project shares: the same compiler, module names and setup. */
const common = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest', swc], [`${ESM_PACKAGES}.+\\.js$`]: ['@swc/jest', { ...swc, jsc: { ...swc.jsc, parser: { syntax: 'ecmascript' } } }] },
  // ES-module-only packages (the Keycloak admin client and its dependencies) are compiled to CommonJS like our own code.
  transformIgnorePatterns: [`/node_modules/(?!${ESM_PACKAGE_NAMES.join('|')})`],
  moduleNameMapper: {
    '^@district/kit/testing$': '<rootDir>/services/kit/src/testing/index.ts',
    '^@district/(kit|people|monitoring|schedule|journal|identity|portal)$': '<rootDir>/services/$1/src/index.ts',
    '^@district/(gateway|infra|demo)$': '<rootDir>/$1/src/index.ts',
  },
  setupFiles: ['reflect-metadata', '<rootDir>/services/kit/test/support/quiet-logs.js'],
};

module.exports = {
  // Real PostgreSQL and Keycloak for the whole run (both projects).
  globalSetup: '<rootDir>/infra/test/global-setup.ts',
  globalTeardown: '<rootDir>/infra/test/global-teardown.ts',
  maxWorkers: 2,
  testTimeout: 90_000,
  projects: [
    {
      ...common,
      displayName: 'api',
      testMatch: ['<rootDir>/services/*/test/**/*.test.ts', '<rootDir>/gateway/test/**/*.test.ts', '<rootDir>/infra/test/**/*.test.ts', '<rootDir>/demo/test/**/*.test.ts', '<rootDir>/clients/portal/test/**/*.test.ts'],
    },
    {
      // Browser tests: headless Chromium against the real stack (clients/web/e2e/stack.ts). A test logs in through
      // Keycloak's form, waits for a whole district to start and for pages to settle: minutes, not seconds.
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/clients/web/e2e/**/*.e2e.test.ts'],
      // testTimeout is a run-wide option (a project's own is ignored): the e2e project raises it per file here.
      setupFilesAfterEnv: ['<rootDir>/clients/web/e2e/jest-setup.ts'],
    },
  ],
};
