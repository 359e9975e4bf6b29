import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // A throwaway PostgreSQL cluster for the PostgreSQL store tests (skipped when it is not installed).
    globalSetup: ['test/setup/postgres.ts'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    // Server tests start real HTTP servers and write real files; keep them isolated per file.
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
