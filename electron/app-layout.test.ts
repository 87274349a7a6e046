import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { layoutFor } from '../engine/app-paths.js';
import { appLayout } from './app-layout.js';

const root = path.resolve('/opt/layerloom/resources/app.asar');
const mainDir = path.join(root, 'dist', 'electron');

describe('appLayout', () => {
  it('finds the renderer, the preload and the engine relative to main.js', () => {
    const layout = appLayout({ mainDir, isPackaged: true, env: {} });
    expect(layout.rootDir).toBe(root);
    expect(layout.rendererDir).toBe(path.join(root, 'renderer', 'dist'));
    expect(layout.preloadPath).toBe(path.join(mainDir, 'preload.cjs'));
  });

  it('runs the compiled engine in a utility process when packaged', () => {
    expect(appLayout({ mainDir, isPackaged: true, env: {} }).engine).toEqual({ kind: 'utility', modulePath: path.join(mainDir, 'engine-entry.js') });
  });

  it('runs bin/layerloom.js with system Node in development', () => {
    expect(appLayout({ mainDir, isPackaged: false, env: {} }).engine).toEqual({
      kind: 'node',
      nodePath: 'node',
      script: path.join(root, 'bin', 'layerloom.js'),
      cwd: root,
    });
    const custom = appLayout({ mainDir, isPackaged: false, env: { LAYERLOOM_NODE: '/usr/local/bin/node' } }).engine;
    expect(custom).toMatchObject({ kind: 'node', nodePath: '/usr/local/bin/node' });
  });

  // electron/ is bundled apart from the engine, so it cannot import engine/app-paths.ts; this
  // holds the two to the same layout, the packaged build's and the checkout's.
  it("agrees with the engine's paths module (engine/app-paths.ts) in the package and the checkout", () => {
    const built = layoutFor(path.join(root, 'dist', 'engine', 'app-paths.js'));
    const packaged = appLayout({ mainDir, isPackaged: true, env: {} });
    expect(packaged.rootDir).toBe(built.root);
    expect(packaged.rendererDir).toBe(built.rendererDist);
    // engine-entry.js imports '../cli/main.js' from dist/electron/: the build's CLI.
    expect(path.resolve(mainDir, '..', 'cli', 'main.js')).toBe(path.join(built.codeRoot, 'cli', 'main.js'));
    const checkout = layoutFor(path.join(root, 'engine', 'app-paths.ts'));
    const dev = appLayout({ mainDir, isPackaged: false, env: {} });
    expect(dev.engine).toMatchObject({ kind: 'node', script: checkout.cliScript, cwd: checkout.root });
    expect(dev.rendererDir).toBe(checkout.rendererDist);
  });

  it('lets the environment force a strategy', () => {
    expect(appLayout({ mainDir, isPackaged: false, env: { LAYERLOOM_ENGINE_LAUNCH: 'utility' } }).engine.kind).toBe('utility');
    expect(appLayout({ mainDir, isPackaged: true, env: { LAYERLOOM_ENGINE_LAUNCH: 'node' } }).engine.kind).toBe('node');
  });

  it('serves on a free port with JSON output for the app origin, and passes a data folder when set', () => {
    expect(appLayout({ mainDir, isPackaged: false, env: {} }).engineArgs).toEqual(['serve', '--port', '0', '--json', '--allow-origin', 'app://layerloom']);
    expect(appLayout({ mainDir, isPackaged: false, env: { LAYERLOOM_DATA_DIR: '/d' } }).engineArgs.slice(-2)).toEqual(['--data-dir', '/d']);
  });
});
