import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Tests start real processes (the CLI, stage scripts); on 2 cores a few seconds each is normal.
    testTimeout: 60_000,
    // `loop` started by a test (bin/loop.mjs, and every stage or worker it starts) runs the TypeScript sources through
    // tsx, never dist/, which may be older than the sources under test.
    env: { LOOP_FROM_SOURCE: '1' },
    hookTimeout: 60_000,
    reporters: ['default', './test/support/summary-line-reporter.ts'],
  },
});
