// Unit and integration tests (no browser). Browser tests (tests/e2e, tests/**/*.e2e.test.ts) run with vitest.e2e.config.mts.
import { defineConfig } from 'vitest/config';
import path from 'node:path';

export default defineConfig({
  resolve: { alias: { '@': path.resolve(import.meta.dirname), 'server-only': path.resolve(import.meta.dirname, 'tests/support/server-only-stub.ts') } },
  test: {
    include: ['tests/**/*.test.ts'],
    exclude: ['tests/e2e/**', 'tests/cluster/**', 'tests/security/**', 'tests/**/*.e2e.test.ts', 'node_modules/**'],
    environment: 'node',
    globalSetup: ['tests/support/build-workers.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
  },
});
