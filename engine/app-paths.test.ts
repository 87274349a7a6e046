// The one paths module, in both layouts: the checkout (sources through tsx) and the build
// (dist/, what the package ships); and the running layout points at files that exist.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { appPaths, layoutFor } from './app-paths.js';

const root = path.resolve(import.meta.dirname, '..');

describe('app paths', () => {
  it('in a checkout: code and app files at the root, launchers beside their sources', () => {
    const p = layoutFor(path.join(root, 'engine', 'app-paths.ts'));
    expect(p).toEqual({
      compiled: false,
      root,
      codeRoot: root,
      examplesDir: path.join(root, 'examples'),
      rendererDist: path.join(root, 'renderer', 'dist'),
      packageJson: path.join(root, 'package.json'),
      cliScript: path.join(root, 'bin', 'layerloom.js'),
      jobLauncher: path.join(root, 'engine', 'server', 'jobs', 'job-launcher.js'),
      workerLauncher: path.join(root, 'nas', 'runner', 'worker-launcher.js'),
    });
  });

  it('in the build: code under dist/, examples, renderer build and package.json at the root', () => {
    const pkg = path.join(path.sep, 'opt', 'Layerloom', 'resources', 'app.asar');
    const p = layoutFor(path.join(pkg, 'dist', 'engine', 'app-paths.js'));
    expect(p.compiled).toBe(true);
    expect(p.root).toBe(pkg);
    expect(p.codeRoot).toBe(path.join(pkg, 'dist'));
    expect([p.examplesDir, p.rendererDist, p.packageJson]).toEqual([
      path.join(pkg, 'examples'),
      path.join(pkg, 'renderer', 'dist'),
      path.join(pkg, 'package.json'),
    ]);
    expect([p.cliScript, p.jobLauncher, p.workerLauncher]).toEqual([
      path.join(pkg, 'dist', 'bin', 'layerloom.js'),
      path.join(pkg, 'dist', 'engine', 'server', 'jobs', 'job-launcher.js'),
      path.join(pkg, 'dist', 'nas', 'runner', 'worker-launcher.js'),
    ]);
  });

  it('the running layout (this checkout) names files that exist', () => {
    expect(appPaths.compiled).toBe(false);
    for (const f of [appPaths.examplesDir, appPaths.packageJson, appPaths.cliScript, appPaths.jobLauncher, appPaths.workerLauncher])
      expect(fs.existsSync(f), f).toBe(true);
  });
});
