import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Tests start real processes (the CLI through tsx, stage scripts); on 2 cores a few seconds each is normal.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default', './test/support/summary-line-reporter.ts'],
  },
});
