/**
 * The external tools some tests need (Debian packages, not npm ones), probed once per process.
 * A test that needs one declares it: `describe(name, needs('chromium'), () => …)`. Without the
 * tool the test is skipped and tests/tools-reporter.ts ends the run with a notice naming the
 * tool and its install command; with CI=true nothing is skipped (the test runs and fails) and
 * the same notice fails the run, because .ci/run installs every tool.
 *
 * LAYERLOOM_PRETEND_MISSING=chromium,python3-onnx makes the probe report those tools missing
 * (how the notice's own test exercises the fresh-machine path on a machine that has them).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { probeWebGpu } from '../engine/train/onnx-step/webgpu-probe.js';

/** The tools tests may need. */
export type ToolName = 'chromium' | 'python3-onnx' | 'python3-torch' | 'redis-server' | 'webgpu';

/** One tool: what it is for, how a user installs it, and how to tell it is there. */
export interface Tool {
  /** The Debian package that provides it. */
  apt: string;
  /** What tests need it for (one notice line per group). */
  group: string;
  probe(): boolean;
}

/** The Chromium binary the browser tests drive (playwright-core, never a downloaded browser). */
export const chromiumPath = process.env.LAYERLOOM_CHROMIUM ?? '/usr/bin/chromium';

const pythonImports = (module: string) => () => spawnSync('/usr/bin/python3', ['-c', `import ${module}`], { stdio: 'ignore', timeout: 60_000 }).status === 0;

/** Every tool, by name. */
export const tools: Record<ToolName, Tool> = {
  chromium: { apt: 'chromium', group: `browser tests of the designer (Chromium at ${chromiumPath})`, probe: () => fs.existsSync(chromiumPath) },
  'python3-onnx': { apt: 'python3-onnx', group: 'ONNX checker tests (onnx.checker via /usr/bin/python3)', probe: pythonImports('onnx') },
  'python3-torch': { apt: 'python3-torch', group: 'PyTorch reference tests (torch via /usr/bin/python3)', probe: pythonImports('torch') },
  'redis-server': {
    apt: 'redis-server',
    group: 'Redis queue tests (redis-server)',
    probe: () => spawnSync('redis-server', ['--version'], { stdio: 'ignore', timeout: 30_000 }).status === 0,
  },
  // Any Vulkan adapter WebGPU accepts: a GPU's driver, or Mesa's software driver (lavapipe),
  // which Debian 12 ships new enough (25.x) only in bookworm-backports.
  webgpu: {
    apt: '-t bookworm-backports mesa-vulkan-drivers libvulkan1',
    group: 'WebGPU trainer tests (a Vulkan adapter: your GPU driver, or Mesa lavapipe from bookworm-backports)',
    probe: () => probeWebGpu().ok,
  },
};

declare module 'vitest' {
  interface TaskMeta {
    /** External tools the test (or every test of the suite) needs; see tests/tools.ts. */
    needs?: ToolName[];
  }
}

/** True when CI=true (or any value but false/0): nothing may be skipped for a missing tool. */
export function isCi(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.CI) && env.CI !== 'false' && env.CI !== '0';
}

/** The tools LAYERLOOM_PRETEND_MISSING names; unknown names are an error, not a no-op. */
export function pretendMissing(env: NodeJS.ProcessEnv = process.env): Set<ToolName> {
  const names = (env.LAYERLOOM_PRETEND_MISSING ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const n of names)
    if (!(n in tools)) throw new Error(`LAYERLOOM_PRETEND_MISSING names "${n}", which is not a tool of tests/tools.ts (${Object.keys(tools).join(', ')})`);
  return new Set(names as ToolName[]);
}

const probed = new Map<ToolName, boolean>();

/** Whether `tool` is installed (probed once per process, lazily: python imports take time). */
export function haveTool(tool: ToolName): boolean {
  if (pretendMissing().has(tool)) return false;
  let have = probed.get(tool);
  if (have === undefined) {
    have = tools[tool].probe();
    probed.set(tool, have);
  }
  return have;
}

/**
 * Test options for a test or suite that needs `names`: skipped when one is missing (outside
 * CI), and tagged so the reporter can say what was not run and why.
 */
export function needs(...names: ToolName[]): { skip: boolean; meta: { needs: ToolName[] } } {
  return { skip: !isCi() && names.some((n) => !haveTool(n)), meta: { needs: names } };
}

/** What one group of unrun tests lacked. */
export interface MissingGroup {
  tool: ToolName;
  tests: number;
  files: number;
}

/**
 * The notice: one line per group that could not run, naming the tool and the command that
 * installs it, then one command for all of them.
 */
export function missingToolsNotice(groups: MissingGroup[], ci: boolean): string {
  const lines = groups.map(({ tool, tests, files }) => {
    const t = tools[tool];
    return `  ${t.group}: ${tests} test${tests === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'} ${ci ? 'failed' : 'not run'}, ${tool} is missing; install it with: sudo apt-get install -y ${t.apt}`;
  });
  const all = [...new Set(groups.map((g) => tools[g.tool].apt))].join(' ');
  const head = ci
    ? 'CI=true and a tool the tests need is missing (CI must run everything):'
    : 'Not run on this machine (install the tool, then run npm test again):';
  return [head, ...lines, `  all at once: sudo apt-get install -y ${all}`].join('\n');
}
