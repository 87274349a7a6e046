/** The designer loads from `layerloom serve` in Chromium, connects to the engine and opens the example. */
import { describe, expect, it } from 'vitest';
import { openDesigner, useEngineAndBrowser } from './harness.js';
import { needs } from '../tools.js';

describe('designer smoke (Chromium)', needs('chromium'), () => {
  const live = useEngineAndBrowser();

  it('opens the page from the printed URL and connects with the token', async () => {
    const { page, errors } = await openDesigner(live.browser(), live.engine());
    // A first start opens the embedded example, so `npm start` shows a real network.
    await page.getByTestId('node-pixels').waitFor();
    expect(await page.title()).toBe('mlp-digits — Layerloom');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows the page but cannot connect without the token', async () => {
    const page = await live.browser().newPage();
    await page.goto(live.engine().url.replace(/\?token=.*/, ''));
    await page.getByTestId('engine-status').waitFor();
    expect(await page.getByTestId('engine-status').textContent()).not.toContain('open');
    await page.close();
  });
});
