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

module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest', swc] },
  moduleNameMapper: {
    '^@district/kit/testing$': '<rootDir>/services/kit/src/testing/index.ts',
    '^@district/(kit|people|monitoring|schedule|journal)$': '<rootDir>/services/$1/src/index.ts',
    '^@district/(gateway|infra)$': '<rootDir>/$1/src/index.ts',
  },
  setupFiles: ['reflect-metadata'],
  globalSetup: '<rootDir>/infra/test/global-setup.ts',
  globalTeardown: '<rootDir>/infra/test/global-teardown.ts',
  testMatch: ['<rootDir>/services/*/test/**/*.test.ts', '<rootDir>/gateway/test/**/*.test.ts', '<rootDir>/infra/test/**/*.test.ts'],
  testTimeout: 90_000,
  maxWorkers: 2,
};
