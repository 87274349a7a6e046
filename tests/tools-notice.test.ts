/**
 * The fresh-machine path of tests/tools.ts and tests/tools-reporter.ts, on a machine that has
 * the tools: a child vitest runs a fixture with LAYERLOOM_PRETEND_MISSING naming two tools.
 * Without CI the run passes and ends with one notice line per missing tool and its install
 * command; with CI=true the same tests run (nothing is skipped), fail, and the notice fails
 * the run.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { missingToolsNotice, pretendMissing } from './tools.js';

const root = path.resolve(import.meta.dirname, '..');

/** Runs the fixture in a child vitest; the parent's VITEST_* worker variables are dropped. */
function runFixture(env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST') && k !== 'CI' && k !== 'LAYERLOOM_PRETEND_MISSING'));
  const child = spawn(
    process.execPath,
    [path.join(root, 'node_modules/vitest/vitest.mjs'), 'run', '--config', path.join(root, 'tests/fixtures/tools/vitest.config.ts'), '--color=false'],
    {
      cwd: root,
      env: { ...base, NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d));
  child.stderr.on('data', (d: Buffer) => (out += d));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, out })));
}

const noticeLines = (out: string) =>
  out
    .slice(out.lastIndexOf('\n', out.search(/Not run on this machine|CI=true and a tool/)))
    .trim()
    .split('\n');

describe('the missing-tools notice', () => {
  it('passes the run and names each missing tool with its install command', async () => {
    const { code, out } = await runFixture({ LAYERLOOM_PRETEND_MISSING: 'chromium,python3-onnx' });
    expect(code, out).toBe(0);
    expect(out).toMatch(/1 passed \| 3 skipped|3 skipped \| 1 passed|Tests\s+1 passed \(4\)/);
    const lines = noticeLines(out);
    expect(lines[0]).toBe('Not run on this machine (install the tool, then run npm test again):');
    expect(lines[1]).toMatch(
      /^ {2}browser tests of the designer \(Chromium at .*\): 2 tests in 1 file not run, chromium is missing; install it with: sudo apt-get install -y chromium$/,
    );
    expect(lines[2]).toBe(
      '  ONNX checker tests (onnx.checker via /usr/bin/python3): 1 test in 1 file not run, python3-onnx is missing; install it with: sudo apt-get install -y python3-onnx',
    );
    expect(lines[3]).toBe('  all at once: sudo apt-get install -y chromium python3-onnx');
    expect(lines).toHaveLength(4);
  }, 120_000);

  it('with CI=true skips nothing and fails the run with the same notice', async () => {
    const { code, out } = await runFixture({ LAYERLOOM_PRETEND_MISSING: 'chromium,python3-onnx', CI: 'true' });
    expect(code, out).not.toBe(0);
    // The tests ran (and failed: the tool is "missing"), the one needing nothing passed.
    expect(out).toMatch(/Tests\s+3 failed \| 1 passed \(4\)/);
    const lines = noticeLines(out);
    expect(lines[0]).toBe('CI=true and a tool the tests need is missing (CI must run everything):');
    expect(lines[1]).toMatch(/2 tests in 1 file failed, chromium is missing; install it with: sudo apt-get install -y chromium$/);
    expect(lines[2]).toMatch(/1 test in 1 file failed, python3-onnx is missing; install it with: sudo apt-get install -y python3-onnx$/);
    expect(lines[3]).toBe('  all at once: sudo apt-get install -y chromium python3-onnx');
  }, 120_000);

  it('has a line and an install command for the Redis queue tests too', () => {
    expect(missingToolsNotice([{ tool: 'redis-server', tests: 1, files: 1 }], false)).toContain('sudo apt-get install -y redis-server');
  });

  it('refuses an unknown tool name in LAYERLOOM_PRETEND_MISSING', () => {
    expect(() => pretendMissing({ LAYERLOOM_PRETEND_MISSING: 'chromium,chrome' })).toThrow(/"chrome", which is not a tool/);
  });
});
