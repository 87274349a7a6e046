/**
 * Search from the designer, in Chromium against a real `layerloom serve`: open the drawn-space
 * example, see the space size, launch a small evolution search (train evaluator on digits,
 * 6 trials of 1 epoch on 300 samples), watch rows appear, stop and resume it, click the best
 * point of the scatter, see its graph on the canvas, export it and find the `.onnx` file; then
 * reload the page and open the finished experiment from the list.
 *
 * Launching is two clicks: `search-estimate` measures the cost and shows it, and
 * `search-start` under the estimate confirms and launches.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { designerSession, screenshot, type ServedEngine } from './harness.js';
import { needs } from '../tools.js';

const TRIALS = 6;

describe('search from the designer (Chromium)', needs('chromium'), () => {
  const session = designerSession(30_000);
  let engine: ServedEngine;
  let page: Page;
  let errors: string[];
  let experimentId = '';

  beforeAll(() => {
    ({ engine, page, errors } = session);
    // A leave-page prompt (unsaved changes) must not block the reload below.
    page.on('dialog', (d) => void d.accept());
  });

  it('launches an evolution search on the drawn space, watches it, shows and exports the best trial', async () => {
    // Open the drawn-space example through the Templates menu.
    await page.getByTestId('toolbar-templates').click();
    await page.getByTestId('template-spaces/space-digits').click();
    await page.getByTestId('doc-title').filter({ hasText: 'space-digits' }).waitFor();
    await page.getByTestId('tab-search').click();
    // stem kernel 2 × repeats 3 × block kernel 2 × head filters 3 × optional skip 2.
    await page.getByTestId('space-size').filter({ hasText: /^72$/ }).waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('shape-check').textContent()).toContain('fit');

    await page.getByTestId('search-strategy').selectOption('evolution');
    await page.getByTestId('search-evaluator').selectOption('train');
    for (const [field, value] of Object.entries({
      data: 'digits',
      epochs: '1',
      limit: '300',
      budgetTrials: String(TRIALS),
      workers: '1',
      seed: '1',
      objectives: 'valAccuracy',
      constraints: 'params<=100000',
    })) {
      await page.getByTestId(`search-${field}`).fill(value);
    }
    await page.getByTestId('search-estimate').click();
    const estimate = page.getByTestId('search-estimate-detail');
    await estimate.waitFor({ timeout: 30_000 });
    expect(await estimate.textContent()).toMatch(/About .+6 trials × 1 epoch/);
    await page.getByTestId('search-start').click();

    // Rows appear while it runs; Stop (after the trial in flight) and Resume; it completes
    // with every trial listed once.
    const rows = page.locator('[data-testid^="trial-row-"]');
    await rows.first().waitFor({ timeout: 60_000 });
    await page.getByTestId('search-stop').click();
    await page.getByTestId('search-status').filter({ hasText: 'cancelled' }).waitFor({ timeout: 60_000 });
    expect(await rows.count()).toBeLessThan(TRIALS);
    await page.getByTestId('search-resume').click();
    await page.getByTestId('search-status').filter({ hasText: 'completed' }).waitFor({ timeout: 90_000 });
    expect(await rows.count()).toBe(TRIALS);
    experimentId = (await page.getByTestId('experiment-id').textContent())!.trim();
    expect(experimentId).toMatch(/^e\d{14}-/);
    await screenshot(page, 'search-completed');

    // The best point of the scatter (its overlay button) shows the trial on the canvas.
    const bestPoint = page.locator('.scatter .point.best');
    await bestPoint.waitFor();
    const bestId = Number((await bestPoint.getAttribute('data-testid'))!.replace('pareto-point-', ''));
    await page.getByTestId(`pareto-point-${bestId}`).click();
    const banner = page.getByTestId('readonly-banner');
    await banner.filter({ hasText: `#${bestId}` }).waitFor({ timeout: 20_000 });
    // A concrete graph: the Repeat container is gone, the searched head is there.
    await page.getByTestId('node-head').waitFor();
    expect(await page.getByTestId('node-blocks').count()).toBe(0);
    await page.getByTestId('trial-changes').waitFor();
    await screenshot(page, 'search-trial-graph');

    // Export it; the engine writes the file under its data folder and names it.
    await page.getByTestId('export-onnx').click();
    const exported = page.getByTestId('export-path');
    await exported.waitFor({ timeout: 90_000 });
    const file = (await exported.locator('code').textContent())!.trim();
    expect(file.endsWith('.onnx')).toBe(true);
    expect(path.resolve(file).startsWith(path.resolve(engine.dataDir))).toBe(true);
    expect(fs.statSync(file).size).toBeGreaterThan(1000);
    expect(errors).toEqual([]);
  });

  it('opens the finished experiment read-only after a reload, and a trial as a new design', async () => {
    expect(experimentId).not.toBe('');
    await page.reload();
    await page.getByTestId('engine-status').filter({ hasText: 'open' }).waitFor({ timeout: 20_000 });
    await page.getByTestId('tab-search').click();
    await page.getByTestId(`experiment-${experimentId}`).click();
    await page.getByTestId('experiment').filter({ hasText: 'read-only' }).waitFor({ timeout: 20_000 });
    await expect.poll(() => page.locator('[data-testid^="trial-row-"]').count(), { timeout: 10_000 }).toBe(TRIALS);
    expect(await page.getByTestId('search-status').textContent()).toBe('completed');

    // Sorting by a header and filtering keep working on the opened experiment.
    await page.getByTestId('trial-sort-valAccuracy').click();
    await page.getByTestId('trial-filter').fill('status-that-no-trial-has');
    expect(await page.locator('[data-testid^="trial-row-"]').count()).toBe(0);
    await page.getByTestId('trial-filter').fill('');

    const firstRow = page.locator('[data-testid^="trial-row-"]').first();
    const trialId = (await firstRow.getAttribute('data-testid'))!.replace('trial-row-', '');
    await firstRow.click();
    await page
      .getByTestId('readonly-banner')
      .filter({ hasText: `#${trialId}` })
      .waitFor({ timeout: 20_000 });
    await page.getByTestId('open-as-design').click();
    expect(await page.getByTestId('readonly-banner').count()).toBe(0);
    await page.getByTestId('dirty-marker').waitFor();
    await page.getByTestId('node-head').waitFor();
    await screenshot(page, 'search-reopened');
    expect(errors).toEqual([]);
  });
});
