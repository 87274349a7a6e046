/**
 * The build runs without the sources: `scripts/build.mjs` (npm run build) compiles into a
 * fresh folder laid out as build/package-layout.mjs says (what electron-builder packs), next
 * to production dependencies only — no .ts files, no tsx, no devDependencies — and from there
 * the compiled `layerloom` trains mlp-digits, runs a 4-trial search with 2 worker processes,
 * exports ONNX with --verify and serves the designer, whose training job runs in a forked
 * process through the compiled job launcher.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { excludedDependencies, packagedFiles, packagedFolders } from '../../build/package-layout.mjs';
import { buildEngine } from '../../scripts/build.mjs';
import { jsonLines, root } from '../cli/run-cli.js';
import { connect, mlpDigits, watchAll } from '../server/training-helpers.js';
import { productionPackages } from './production-deps.js';

let appDir: string;
let dataDir: string;

/** Runs the packaged CLI with plain Node, from the package folder. */
function runPackaged(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [path.join(appDir, 'dist', 'bin', 'layerloom.js'), ...args, '--data-dir', dataDir], {
    cwd: appDir,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d));
  child.stderr.on('data', (d: Buffer) => (stderr += d));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

/** Every file under `dir`, skipping node_modules. */
function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && !path.join(e.parentPath, e.name).includes(`${path.sep}node_modules${path.sep}`))
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
}

beforeAll(async () => {
  appDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loom-package-'));
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loom-package-data-'));
  await buildEngine(path.join(appDir, 'dist'));
  for (const folder of packagedFolders.filter((f) => f !== 'dist')) {
    expect(fs.existsSync(path.join(root, folder)), `${folder} (the renderer build comes from the tests' global setup)`).toBe(true);
    fs.cpSync(path.join(root, folder), path.join(appDir, folder), { recursive: true });
  }
  for (const file of packagedFiles) fs.copyFileSync(path.join(root, file), path.join(appDir, file));
  // Symlinks to the checkout's installed packages: Node resolves a package's own imports from
  // its real path, and the build's imports from the package folder, where only these exist.
  for (const name of productionPackages(root, excludedDependencies)) {
    const link = path.join(appDir, 'node_modules', name);
    fs.mkdirSync(path.dirname(link), { recursive: true });
    fs.symlinkSync(fs.realpathSync(path.join(root, 'node_modules', name)), link, 'dir');
  }
}, 300_000);

afterAll(() => {
  for (const dir of [appDir, dataDir]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('the build, run from a package folder without sources', () => {
  it('holds compiled JavaScript only, no tests or testkits, and no tsx or devDependencies', () => {
    const files = filesUnder(appDir);
    expect(files.filter((f) => f.endsWith('.ts') || /\.(test|testkit)\.js$/.test(f))).toEqual([]);
    for (const f of [
      'dist/bin/layerloom.js',
      'dist/cli/main.js',
      'dist/engine/server/jobs/job-launcher.js',
      'dist/nas/runner/worker-launcher.js',
      'dist/engine/data/embedded/digits.csv.gz',
      'renderer/dist/index.html',
      'examples/mlp-digits.loom.json',
    ])
      expect(files, f).toContain(f);
    const modules = fs.readdirSync(path.join(appDir, 'node_modules'));
    for (const dev of ['tsx', 'typescript', 'vitest', 'vite', 'esbuild', 'electron', 'react']) expect(modules, dev).not.toContain(dev);
    for (const launcher of ['dist/bin/layerloom.js', 'dist/engine/server/jobs/job-launcher.js', 'dist/nas/runner/worker-launcher.js'])
      expect(fs.readFileSync(path.join(appDir, launcher), 'utf8')).not.toMatch(/['"]tsx(\/|['"])/);
  });

  it('trains mlp-digits to ≥ 0.90 validation accuracy', async () => {
    const r = await runPackaged(['train', 'examples/mlp-digits.loom.json', '--json', '--seed', '1']);
    expect(r.code, r.stderr).toBe(0);
    const done = jsonLines(r.stdout).find((e) => e.event === 'done') as { status: string; runId: string; metrics: { valAccuracy: number } };
    expect(done.status).toBe('completed');
    expect(done.metrics.valAccuracy).toBeGreaterThanOrEqual(0.9);

    // ...and exports that run to ONNX, verified against tf.js on dataset inputs.
    const out = path.join(dataDir, 'mlp-digits.onnx');
    const e = await runPackaged(['export', 'examples/mlp-digits.loom.json', '--run', done.runId, '--verify', '-o', out, '--json']);
    expect(e.code, e.stderr).toBe(0);
    const exported = jsonLines(e.stdout).find((x) => x.event === 'exported') as { format: string; verify: { passed: boolean } };
    expect(exported.format).toBe('onnx');
    expect(exported.verify.passed).toBe(true);
    expect(fs.statSync(out).size).toBeGreaterThan(1000);
  }, 300_000);

  it('validates a graph, lists the layer kinds and lists the stored runs', async () => {
    const v = await runPackaged(['validate', 'examples/mlp-digits.loom.json', '--json']);
    expect(v.code, v.stderr).toBe(0);
    expect(JSON.parse(v.stdout)).toMatchObject({ ok: true, params: 4810 });
    const l = await runPackaged(['layers', '--json']);
    expect(l.code, l.stderr).toBe(0);
    expect((JSON.parse(l.stdout) as { kind: string }[]).map((k) => k.kind)).toEqual(expect.arrayContaining(['Input', 'Dense', 'Conv2D', 'LSTM', 'Output']));
    const r = await runPackaged(['runs', '--json']);
    expect(r.code, r.stderr).toBe(0);
    // The training test above stored one run in this data folder.
    expect((JSON.parse(r.stdout) as { project: string; status: string }[]).map((x) => [x.project, x.status])).toEqual([['mlp-digits', 'completed']]);
  }, 120_000);

  it('runs a 4-trial search of space-digits with 2 worker processes', async () => {
    const r = await runPackaged([
      'search',
      'examples/spaces/space-digits.loom.json',
      '--strategy',
      'random',
      '--evaluator',
      'train',
      '--budget-trials',
      '4',
      '--workers',
      '2',
      '--epochs',
      '1',
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const events = jsonLines(r.stdout);
    const trials = events.filter((e) => e.event === 'trial') as { status: string; objective: number }[];
    expect(trials.map((t) => t.status)).toEqual(['ok', 'ok', 'ok', 'ok']);
    for (const t of trials) expect(t.objective).toBeGreaterThan(0.1);
    expect(events.at(-1)).toMatchObject({ event: 'done', status: 'completed' });
  }, 300_000);

  it('serves the designer with the token, lists the examples and trains in a forked job', async () => {
    const child = spawn(process.execPath, [path.join(appDir, 'dist', 'bin', 'layerloom.js'), 'serve', '--port', '0', '--json', '--data-dir', dataDir], {
      cwd: appDir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    try {
      const listening = await new Promise<{ url: string; port: number; token: string }>((resolve, reject) => {
        readline.createInterface({ input: child.stdout }).on('line', (line) => {
          const e = JSON.parse(line) as { event: string; url: string; port: number; token: string };
          if (e.event === 'listening') resolve(e);
        });
        child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
      });
      const page = await fetch(listening.url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<div id="root"');
      const c = connect(listening.port, listening.token);
      try {
        const examples = await c.call('examples.list', {});
        expect(examples.map((e) => e.id)).toEqual(expect.arrayContaining(['mlp-digits', 'spaces/space-digits']));
        const { runId } = await c.call('train.start', { text: mlpDigits, overrides: { epochs: 2 } });
        const { status, events } = await watchAll(c, runId);
        expect(status, stderr).toBe('completed');
        expect(events.filter((e) => e.event === 'epoch').length).toBe(2);
      } finally {
        c.close();
      }
    } finally {
      child.kill('SIGTERM');
    }
  }, 300_000);
});
