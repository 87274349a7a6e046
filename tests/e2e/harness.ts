/**
 * Browser-test harness: starts the real `layerloom serve` (the CLI, in its own process, on a
 * free port with a fresh data folder) and Debian's Chromium through playwright-core.
 * Screenshots go to test-artifacts/ (kept by CI as artifacts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { chromiumPath } from '../tools.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** Where screenshots and other artifacts of browser tests are written. */
export const artifactsDir = path.join(repoRoot, 'test-artifacts');

/** A running engine server. */
export interface ServedEngine {
  url: string;
  port: number;
  token: string;
  dataDir: string;
  process: ChildProcess;
  /** Everything the server printed on stderr (for failure messages). */
  stderr: () => string;
  stop(): Promise<void>;
}

/** Starts `layerloom serve --port 0 --json` with a fresh data folder. */
export async function startEngine(opts: { dataDir?: string; env?: NodeJS.ProcessEnv } = {}): Promise<ServedEngine> {
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'loom-e2e-'));
  const child = spawn(process.execPath, [path.join(repoRoot, 'bin/layerloom.js'), 'serve', '--port', '0', '--json', '--data-dir', dataDir], {
    cwd: repoRoot,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const ready = await new Promise<{ url: string; port: number; token: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start within 30 s:\n${stderr}`)), 30_000);
    const lines = readline.createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      try {
        const msg = JSON.parse(line) as { event?: string; url: string; port: number; token: string };
        if (msg.event === 'listening') {
          clearTimeout(timer);
          resolve(msg);
        }
      } catch {
        // a log line
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}:\n${stderr}`));
    });
  });
  return {
    ...ready,
    dataDir,
    process: child,
    stderr: () => stderr,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }),
  };
}

/** Launches headless Chromium with the flags this machine and CI need. */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** Opens a page on the engine's URL, failing the test on any page error. */
export async function openDesigner(browser: Browser, engine: ServedEngine): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(engine.url);
  await page.getByTestId('engine-status').filter({ hasText: 'open' }).waitFor({ timeout: 20_000 });
  return { page, errors };
}

/** Saves a screenshot under test-artifacts/. */
export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(artifactsDir, { recursive: true });
  const file = path.join(artifactsDir, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/**
 * For a describe block: starts an engine (after `prepare` may seed its data folder) and a
 * browser before the tests and stops both after. Returns getters for the live pair.
 */
export function useEngineAndBrowser(prepare?: (engine: ServedEngine) => void): { engine: () => ServedEngine; browser: () => Browser } {
  let engine: ServedEngine | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    engine = await startEngine();
    prepare?.(engine);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await engine?.stop();
  });
  return { engine: () => engine!, browser: () => browser! };
}

/** What {@link designerSession} holds while its tests run. */
export interface DesignerSession {
  engine: ServedEngine;
  browser: Browser;
  page: Page;
  /** Page errors and console errors so far. */
  errors: string[];
}

/**
 * For a describe block whose tests share one designer page: {@link useEngineAndBrowser} plus
 * the page opened before the tests (actions time out after `timeoutMs`). Read its fields
 * inside the tests.
 */
export function designerSession(timeoutMs = 10_000): DesignerSession {
  const live = useEngineAndBrowser();
  const s = {} as DesignerSession;
  beforeAll(async () => {
    s.engine = live.engine();
    s.browser = live.browser();
    const opened = await openDesigner(s.browser, s.engine);
    s.page = opened.page;
    s.errors = opened.errors;
    s.page.setDefaultTimeout(timeoutMs);
  });
  return s;
}
