/**
 * Dashboards with room, in Chromium against a real `layerloom serve`: after a run the
 * Training dashboard fills the window (charts ≥ 500 px wide, side by side, resizable, the
 * confusion matrix at full size) and Escape brings the canvas back; two runs with different
 * settings compared in the full-window Runs dashboard: curves overlaid and what changed.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { needs } from '../tools.js';
import { designerSession, screenshot } from './harness.js';

async function train(page: Page, epochs: number, learningRate?: number): Promise<string> {
  await page.getByTestId('tab-training').click();
  // After a run the settings are folded away.
  const settings = page.locator('.train-settings-box');
  if (!(await settings.evaluate((d) => (d as HTMLDetailsElement).open))) await settings.locator('summary').click();
  await page.getByTestId('train-dataset').selectOption('digits');
  await page.getByTestId('train-epochs').fill(String(epochs));
  if (learningRate !== undefined) await page.getByTestId('train-lr').fill(String(learningRate));
  await page.getByTestId('train-start').click();
  await page.getByTestId('train-status').filter({ hasText: 'completed' }).waitFor({ timeout: 60_000 });
  return (await page.getByTestId('train-run-id').textContent())!;
}

describe('dashboards with room (Chromium)', needs('chromium'), () => {
  const session = designerSession(15_000);
  let page: Page;
  beforeAll(async () => {
    ({ page } = session);
    await page.setViewportSize({ width: 1600, height: 1000 });
    page.on('dialog', (d) => void d.accept());
  });
  const runs: string[] = [];

  it('expands the training dashboard to the whole window and collapses back to the canvas', async () => {
    await page.getByTestId('toolbar-templates').click();
    await page.getByTestId('template-mlp-digits').click();
    runs.push(await train(page, 2));
    await page.getByTestId('confusion-matrix').waitFor();
    const sideWidth = (await page.getByTestId('chart-loss').boundingBox())!.width;

    await page.keyboard.press('Control+Shift+F');
    const full = page.getByTestId('dashboard-full');
    await full.waitFor();
    expect(await full.getAttribute('data-dashboard')).toBe('training');
    const loss = (await full.getByTestId('chart-loss').boundingBox())!;
    const lr = (await full.getByTestId('chart-lr').boundingBox())!;
    expect(loss.width).toBeGreaterThanOrEqual(500);
    expect(sideWidth).toBeLessThan(400);
    // Side by side: the next chart in the grid starts on the same row, to the right.
    const accuracy = (await full.getByTestId('chart-accuracy').boundingBox())!;
    expect(Math.abs(accuracy.y - loss.y)).toBeLessThan(2);
    expect(accuracy.x).toBeGreaterThan(loss.x + loss.width - 1);
    expect(lr.width).toBeGreaterThanOrEqual(500);
    // The confusion matrix is not scrolled sideways: its whole table is inside the window.
    const matrix = (await full.getByTestId('confusion-matrix').boundingBox())!;
    expect(matrix.x + matrix.width).toBeLessThanOrEqual(1600);
    expect(await full.getByTestId('confusion-matrix').locator('tbody tr').count()).toBe(10);
    await screenshot(page, 'dashboard-training-full');

    // A chart's box resizes (its corner handle sets the size); the plot follows its box.
    const canvasHeight = () =>
      full
        .getByTestId('chart-loss')
        .locator('canvas')
        .evaluate((c) => (c as HTMLCanvasElement).getBoundingClientRect().height);
    const before = await canvasHeight();
    await full.getByTestId('chart-loss').evaluate((f) => void ((f as HTMLElement).style.height = '460px'));
    await expect.poll(canvasHeight).toBeGreaterThan(before + 100);

    await page.keyboard.press('Escape');
    await full.waitFor({ state: 'detached' });
    expect(await page.locator('.canvas-area .react-flow__pane').isVisible()).toBe(true);
    await page.getByTestId('node-pixels').waitFor();
    await page.getByTestId('train-dashboard').waitFor(); // back in the side panel
  });

  it('compares two runs in the full-window Runs dashboard: curves overlaid and what changed', async () => {
    runs.push(await train(page, 3, 0.02));
    await page.getByTestId('tab-runs').click();
    for (const id of runs) await page.getByTestId(`run-compare-${id}`).check();
    await page.getByTestId('run-compare').waitFor();
    await page.getByTestId('toolbar-expandDashboard').click();
    const full = page.getByTestId('dashboard-full');
    await full.waitFor();
    expect(await full.getAttribute('data-dashboard')).toBe('runs');
    const chart = full.getByTestId('chart-compare-loss');
    await chart.waitFor();
    expect((await chart.boundingBox())!.width).toBeGreaterThanOrEqual(500);
    expect(await chart.locator('.u-legend').textContent()).toContain(runs[1]);
    const epochs = full.getByTestId('run-diff-setting-epochs');
    await epochs.waitFor();
    expect((await epochs.locator('td').allTextContents()).slice(1)).toEqual(['2', '3']);
    expect((await full.getByTestId('run-diff-setting-optimizer.learningRate').locator('td').allTextContents()).slice(1)).toEqual(['0.005', '0.02']);
    expect(await full.getByTestId('run-diff-graph').textContent()).toContain('same graph');
    await screenshot(page, 'dashboard-runs-compare');
    await full.getByTestId('dashboard-collapse').click();
    await full.waitFor({ state: 'detached' });
    expect(session.errors).toEqual([]);
  });

  it("opens the Training dashboard alone in a window (Electron's Open in window) that follows the project's runs", async () => {
    // In Electron the window loads the renderer with this query (electron/dashboard-window.ts).
    const win = await session.browser.newPage({ viewport: { width: 1280, height: 860 } });
    const errors: string[] = [];
    win.on('pageerror', (e) => errors.push(e.message));
    await win.goto(`${session.engine.url}&dashboard=training&project=mlp-digits`);
    await win.getByTestId('dashboard-window').waitFor();
    expect(await win.getByTestId('dashboard-window-project').textContent()).toBe('mlp-digits');
    // The project's last run, with the room of a full-window dashboard.
    await expect.poll(() => win.getByTestId('train-run-id').textContent(), { timeout: 10_000 }).toBe(runs[1]);
    expect((await win.getByTestId('chart-loss').boundingBox())!.width).toBeGreaterThanOrEqual(500);
    // A run started in the main window shows up there.
    runs.push(await train(page, 2));
    await expect.poll(() => win.getByTestId('train-run-id').textContent(), { timeout: 15_000 }).toBe(runs[2]);
    await win.getByTestId('train-status').filter({ hasText: 'completed' }).waitFor({ timeout: 30_000 });
    await screenshot(win, 'dashboard-window-training');
    expect(errors).toEqual([]);
    await win.close();
  });

  it('lays out a search full window: scatter and trials table side by side with all columns (a family tree below)', async () => {
    await page.getByTestId('toolbar-templates').click();
    await page.getByTestId('template-spaces/space-digits').click();
    await page
      .getByTestId('unsaved-discard')
      .click({ timeout: 1500 })
      .catch(() => undefined);
    await page.getByTestId('doc-title').filter({ hasText: 'space-digits' }).waitFor();
    await page.getByTestId('tab-search').click();
    await page.getByTestId('space-size').filter({ hasText: /^72$/ }).waitFor({ timeout: 20_000 });
    await page.getByTestId('search-strategy').selectOption('evolution');
    await page.getByTestId('search-evaluator').selectOption('train');
    for (const [field, value] of Object.entries({
      data: 'digits',
      epochs: '1',
      limit: '300',
      budgetTrials: '5',
      workers: '1',
      seed: '1',
      objectives: 'valAccuracy',
    })) {
      await page.getByTestId(`search-${field}`).fill(value);
    }
    await page.getByTestId('search-estimate').click();
    await page.getByTestId('search-estimate-detail').waitFor({ timeout: 30_000 });
    await page.getByTestId('search-start').click();
    await page.getByTestId('search-status').filter({ hasText: 'completed' }).waitFor({ timeout: 120_000 });

    await page.getByTestId('toolbar-expandDashboard').click();
    const full = page.getByTestId('dashboard-full');
    await full.waitFor();
    expect(await full.getAttribute('data-dashboard')).toBe('search');
    const scatter = (await full.locator('.scatter').boundingBox())!;
    const table = (await full.getByTestId('trials-table').boundingBox())!;
    expect(Math.abs(scatter.y - table.y)).toBeLessThan(60); // the same row of the grid
    expect(table.x).toBeGreaterThan(scatter.x + scatter.width - 1);
    expect(scatter.width).toBeGreaterThanOrEqual(400);
    // Every column visible: the table's scroll box does not scroll sideways.
    const sideways = await full.locator('.trials-scroll').evaluate((el) => el.scrollWidth - el.clientWidth);
    expect(sideways).toBeLessThanOrEqual(0);
    // With this few trials evolution may not have bred yet; a family tree, when there, goes below.
    if (await full.getByTestId('family-tree').count()) {
      const tree = (await full.getByTestId('family-tree').boundingBox())!;
      expect(tree.y).toBeGreaterThan(Math.max(scatter.y + scatter.height, table.y + table.height) - 1);
    }
    await screenshot(page, 'dashboard-search-full');
    await page.keyboard.press('Escape');
    await full.waitFor({ state: 'detached' });
    expect(session.errors).toEqual([]);
  });
});
