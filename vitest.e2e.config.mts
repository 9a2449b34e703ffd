// Browser and security tests (tests/security: each starts its own server on a copy of the database): build and start the app on a temporary database, then drive Debian's Chromium with playwright-core.
import { defineConfig } from 'vitest/config';
import path from 'node:path';

export default defineConfig({
  // Test code imports server modules (accounts, queries) directly, as the unit tests do.
  resolve: { alias: { '@': path.resolve(import.meta.dirname), 'server-only': path.resolve(import.meta.dirname, 'tests/support/server-only-stub.ts') } },
  test: {
    include: ['tests/e2e/**/*.test.ts', 'tests/security/**/*.test.ts', 'tests/**/*.e2e.test.ts'],
    environment: 'node',
    globalSetup: ['tests/support/build-workers.ts', 'tests/e2e/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 900_000,
    fileParallelism: false,
  },
});
