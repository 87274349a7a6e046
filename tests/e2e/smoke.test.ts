/** The designer loads from `layerloom serve` in Chromium and connects to the engine. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { haveChromium, launchBrowser, openDesigner, startEngine, type ServedEngine } from './harness.js';

describe.skipIf(!haveChromium)('designer smoke (Chromium)', () => {
  let engine: ServedEngine;
  let browser: Browser;
  beforeAll(async () => {
    engine = await startEngine();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await engine?.stop();
  });

  it('opens the page from the printed URL and connects with the token', async () => {
    const { page, errors } = await openDesigner(browser, engine);
    expect(await page.title()).toBe('Layerloom');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows the page but cannot connect without the token', async () => {
    const page = await browser.newPage();
    await page.goto(engine.url.replace(/\?token=.*/, ''));
    await page.getByTestId('engine-status').waitFor();
    expect(await page.getByTestId('engine-status').textContent()).not.toContain('open');
    await page.close();
  });
});
