/**
 * Training from the designer, in Chromium against a real `layerloom serve`: open the
 * mlp-digits template, pick `digits`, train 10 epochs, watch the loss chart grow while it
 * trains, reach ≥ 0.90 validation accuracy in the panel, see the confusion matrix, find the
 * run in the history after a page reload, and export it to ONNX as a download.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { artifactsDir, openDesigner, screenshot, useEngineAndBrowser } from './harness.js';
import { needs } from '../tools.js';

describe('training from the designer (Chromium)', needs('chromium'), () => {
  const live = useEngineAndBrowser();

  it('trains mlp-digits on digits with a live dashboard, evaluation and run history', async () => {
    const { page, errors } = await openDesigner(live.browser(), live.engine());
    // Leaving the page with unsaved settings asks first; the test means to leave.
    page.on('dialog', (d) => void d.accept());

    await page.getByTestId('toolbar-templates').click();
    await page.getByTestId('template-mlp-digits').click();
    await page.getByTestId('tab-training').click();
    await expect.poll(() => page.getByTestId('train-project').textContent()).toBe('mlp-digits');
    await page.getByTestId('train-dataset').selectOption('digits');
    await page.getByTestId('train-epochs').fill('10');

    // Sample the loss chart every frame until the run ends.
    await page.evaluate(() => {
      const w = window as unknown as { samples: [number, string][] };
      w.samples = [];
      const tick = () => {
        const points = Number(document.querySelector('[data-testid="chart-loss"]')?.getAttribute('data-points') ?? 0);
        const status = document.querySelector('[data-testid="train-status"]')?.textContent ?? '';
        w.samples.push([points, status]);
        if (!['completed', 'failed', 'cancelled'].includes(status)) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    await page.getByTestId('train-start').click();
    await page.getByTestId('train-status').filter({ hasText: 'completed' }).waitFor({ timeout: 60_000 });

    const samples = await page.evaluate(() => (window as unknown as { samples: [number, string][] }).samples);
    const whileTraining = samples.filter(([, s]) => s === 'training').map(([p]) => p);
    expect(Math.max(...whileTraining)).toBeGreaterThanOrEqual(3);
    expect(new Set(whileTraining).size).toBeGreaterThanOrEqual(3); // it grew in steps, live
    expect(await page.getByTestId('train-epoch').textContent()).toBe('10 / 10');
    const acc = Number(await page.getByTestId('metric-valAccuracy').textContent());
    expect(acc).toBeGreaterThanOrEqual(0.9);

    const matrix = page.getByTestId('confusion-matrix');
    await matrix.waitFor();
    expect(await matrix.locator('tbody tr').count()).toBe(10);
    await page.getByTestId('misclassified').waitFor();
    await page.getByTestId('chart-roc').waitFor();
    // Charts save as PNG.
    const png = page.waitForEvent('download');
    await page.getByTestId('chart-loss-png').click();
    expect((await png).suggestedFilename()).toBe('loss.png');
    const pngFile = path.join(artifactsDir, 'training-loss-chart.png');
    await (await png).saveAs(pngFile);
    expect(fs.readFileSync(pngFile).subarray(1, 4).toString()).toBe('PNG');
    const runId = (await page.getByTestId('train-run-id').textContent())!;
    expect(runId).toMatch(/^r\d{14}-[0-9a-f]{6}$/);
    await page.getByTestId('train-dashboard').scrollIntoViewIfNeeded();
    await screenshot(page, 'training-dashboard');
    await page.getByTestId('train-evaluation').scrollIntoViewIfNeeded();
    await screenshot(page, 'training-evaluation');

    await page.reload();
    await page.getByTestId('engine-status').filter({ hasText: 'open' }).waitFor({ timeout: 20_000 });
    // The changed settings were autosaved: take them back.
    await page
      .getByTestId('recover-accept')
      .click({ timeout: 5000 })
      .catch(() => undefined);
    await page.getByTestId('tab-runs').click();
    const row = page.getByTestId(`run-row-${runId}`);
    await row.waitFor({ timeout: 10_000 });
    expect(await row.textContent()).toContain('completed');
    await row.click();
    await page.getByTestId('run-opened').getByTestId('confusion-matrix').waitFor();
    await screenshot(page, 'training-run-history');

    // Export ONNX from the run: the engine writes it, the page downloads it with its token.
    const download = page.waitForEvent('download', { timeout: 30_000 });
    await page.getByTestId(`run-export-${runId}`).click();
    expect((await download).suggestedFilename()).toBe(`mlp-digits-${runId}.onnx`);
    expect(await page.getByTestId('run-export-result').textContent()).toContain(`exports/${runId}.onnx`);
    expect(errors).toEqual([]);
    await page.close();
  });
});
