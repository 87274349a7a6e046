import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCsp } from './csp.js';

// main.ts is glue over Electron; without the binary it runs here against a recording stand-in
// (test-fixtures/fake-electron.mjs) in an app folder laid out like a checkout: the bundled
// main in dist/electron, a renderer in renderer/dist, and the fake engine as bin/layerloom.js.
const fixtures = path.join(import.meta.dirname, 'test-fixtures');

interface Report {
  schemes: { scheme: string; privileges: Record<string, boolean> }[];
  loadedUrl: string;
  webPreferences: Record<string, unknown>;
  menuLabels: string[];
  engine: { port: number; token: string };
  foreignCall: string;
  page: { status: number; csp: string; body: string };
  traversal: number;
  mediaPermission: boolean;
  windowOpen: { action: string };
  navigationPrevented: boolean;
  title: string;
  prompt: string;
  quitCalls: number;
  dashboard: {
    windows: number;
    url: string;
    title: string;
    webPreferences: Record<string, unknown>;
    bogus: string;
    navigationPrevented: boolean;
    closedWithMain: boolean;
  };
}

let report: Report;
let stdout: string;

beforeAll(() => {
  const app = fs.mkdtempSync(path.join(os.tmpdir(), 'loom-app-'));
  fs.writeFileSync(path.join(app, 'package.json'), '{"type":"module"}');
  fs.mkdirSync(path.join(app, 'renderer', 'dist'), { recursive: true });
  fs.writeFileSync(path.join(app, 'renderer', 'dist', 'index.html'), '<!doctype html><title>renderer</title>');
  fs.mkdirSync(path.join(app, 'bin'));
  fs.copyFileSync(path.join(fixtures, 'fake-engine.mjs'), path.join(app, 'bin', 'layerloom.js'));
  execFileSync(process.execPath, [path.join(import.meta.dirname, 'build.mjs'), '--outdir', path.join(app, 'dist', 'electron')]);
  const run = spawnSync(process.execPath, [path.join(fixtures, 'drive-main.mjs'), path.join(app, 'dist', 'electron', 'main.js')], {
    env: { ...process.env, LAYERLOOM_NODE: process.execPath },
    encoding: 'utf8',
    timeout: 60_000,
  });
  stdout = run.stdout;
  const line = stdout.split('\n').find((l) => l.startsWith('{'));
  if (run.status !== 0 || line === undefined) throw new Error(`driver failed (${run.status}):\n${stdout}\n${run.stderr}`);
  report = JSON.parse(line) as Report;
}, 90_000);

describe('main process wiring (stand-in Electron)', () => {
  it('registers app:// as a privileged scheme before ready and loads the renderer from it', () => {
    expect(report.schemes).toEqual([{ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) as object }]);
    expect(report.loadedUrl).toBe('app://layerloom/index.html');
    expect(report.page).toEqual({ status: 200, csp: buildCsp(), body: '<!doctype html><title>renderer</title>' });
    expect(report.traversal).toBe(404);
  });

  it('starts the engine for the app origin before opening the window, and hands its address to the bridge', () => {
    expect(stdout).toMatch(/\[engine\] fake engine: args serve --port 0 --json --allow-origin app:\/\/layerloom\n/);
    expect(report.engine.port).toBeGreaterThan(0);
    expect(report.engine.token).toMatch(/^[\w-]{43}$/);
    expect(report.foreignCall).toMatch(/refused for https:\/\/evil.example\//);
  });

  it('opens a hardened window with the native menu', () => {
    expect(report.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true });
    expect(String(report.webPreferences.preload)).toMatch(/dist[/\\]electron[/\\]preload\.cjs$/);
    expect(report.menuLabels).toEqual(
      process.platform === 'darwin' ? ['Layerloom', 'File', 'Edit', 'View', 'windowMenu', 'Help'] : ['&File', '&Edit', '&View', '&Help'],
    );
    expect(report.mediaPermission).toBe(false);
    expect(report.windowOpen).toEqual({ action: 'deny' });
    expect(report.navigationPrevented).toBe(true);
  });

  it('opens a dashboard in its own hardened window, once per dashboard, closed with the main window', () => {
    expect(report.dashboard.windows).toBe(2);
    expect(report.dashboard.url).toBe('app://layerloom/index.html?dashboard=training&project=mlp-digits');
    expect(report.dashboard.title).toBe('Training — mlp-digits — Layerloom');
    expect(report.dashboard.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true });
    expect(report.dashboard.bogus).toMatch(/dashboard must be one of training, runs, search/);
    expect(report.dashboard.navigationPrevented).toBe(true);
    expect(report.dashboard.closedWithMain).toBe(true);
  });

  it('asks before closing a dirty document, then quits and stops the engine', () => {
    expect(report.title).toBe('• mlp-digits — Layerloom');
    expect(report.prompt).toBe('Save the changes to mlp-digits before closing?');
    // quit (held by the prompt), quit after the window closed (held for the engine), the final quit.
    expect(report.quitCalls).toBe(3);
    const pid = Number(/\[engine\] fake engine: pid (\d+)/.exec(stdout)?.[1]);
    expect(pid).toBeGreaterThan(0);
    expect(() => process.kill(pid, 0)).toThrow();
  });
});
