// The cluster back end's tests (tests/cluster): a throwaway PostgreSQL (tests/support/postgres.ts), pg-boss, and worker
// processes. They skip, with the reason printed, where PostgreSQL cannot start. One file at a time: each starts its
// own cluster and processes, and the machine is shared.
import { defineConfig } from 'vitest/config';
import path from 'node:path';

export default defineConfig({
  resolve: { alias: { '@': path.resolve(import.meta.dirname), 'server-only': path.resolve(import.meta.dirname, 'tests/support/server-only-stub.ts') } },
  test: {
    include: ['tests/cluster/**/*.test.ts'],
    // The built app's web instances on PostgreSQL run with the browser tests (they need the production build).
    exclude: ['tests/**/*.e2e.test.ts', 'node_modules/**'],
    environment: 'node',
    globalSetup: ['tests/support/build-workers.ts'],
    testTimeout: 180_000,
    hookTimeout: 300_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
