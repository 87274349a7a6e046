import { defineConfig } from 'vitest/config';

// Tests run in Node; tf.js wasm and training tests are CPU heavy, so files run in forked
// processes (one tf.js engine each) and get generous per-test time limits. Browser tests
// (tests/e2e) drive Chromium against a real `layerloom serve`; the global setup builds the
// renderer first when its sources changed. Tests that need a tool outside npm (Chromium,
// python3-onnx, …) say so with tests/tools.ts; the second reporter ends the run with a notice
// of what could not run and how to install it (and fails the run under CI=true).
export default defineConfig({
  test: {
    include: ['cli/**/*.test.ts', 'engine/**/*.test.ts', 'nas/**/*.test.ts', 'tests/**/*.test.ts', 'renderer/**/*.test.ts', 'electron/**/*.test.ts'],
    globalSetup: ['tests/e2e/build-renderer.ts'],
    reporters: ['default', './tests/tools-reporter.ts'],
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
