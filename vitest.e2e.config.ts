import { defineConfig } from 'vitest/config';

// Browser tests: playwright-core driving Debian's chromium (/usr/bin/chromium). `npm run test:e2e`.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
