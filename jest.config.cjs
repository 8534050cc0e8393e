/**
 * Jest runs the TypeScript sources through ts-jest as CommonJS, transpile only (`isolatedModules`;
 * `tsc --noEmit` type-checks in `npm test`). middy and jose ship ESM only, so their files are
 * transformed as well (middy's are also mapped by path: it publishes nothing but an "import" export).
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.jest.json', diagnostics: false }],
  },
  transformIgnorePatterns: ['/node_modules/(?!(@middy|jose)/)'],
  moduleNameMapper: {
    '^@middy/([a-z-]+)$': '<rootDir>/node_modules/@middy/$1/index.js',
    '^@shared/(.*)$': '<rootDir>/shared/$1',
    '^@infra/(.*)$': '<rootDir>/infra/$1',
    '^@functions/(.*)$': '<rootDir>/functions/$1',
  },
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  testTimeout: 60000,
};
