import { defineConfig } from 'vitest/config';

// Tests run in Node; tf.js wasm and training tests are CPU heavy, so files run in forked
// processes (one tf.js engine each) and get generous per-test time limits.
export default defineConfig({
  test: {
    include: ['engine/**/*.test.ts', 'nas/**/*.test.ts', 'tests/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
