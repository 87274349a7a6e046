/**
 * The designer canvas in Chromium against a real `layerloom serve`: build a CNN by dragging
 * from the palette and connecting ports, see shapes on the edges, see errors on nodes, undo,
 * save / reload / open, recover unsaved work, and the token check of the server.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import WebSocket from 'ws';
import { autosaveHolds, canvasSnapshot, dragConnection, dropLayer, startEmpty, viewportSettled } from './canvas-helpers.js';
import { designerSession, screenshot, type ServedEngine } from './harness.js';
import { needs } from '../tools.js';

const chain = ['input_1', 'conv2d_1', 'flatten_1', 'dense_1', 'output_1'];
const expectedShapes = {
  'edge-shape-e_input_1_conv2d_1': '[null,28,28,1]',
  'edge-shape-e_conv2d_1_flatten_1': '[null,26,26,32]',
  'edge-shape-e_flatten_1_dense_1': '[null,21632]',
  'edge-shape-e_dense_1_output_1': '[null,64]',
};

describe('designer canvas (Chromium)', needs('chromium'), () => {
  const session = designerSession();
  let engine: ServedEngine;
  let page: Page;
  let errors: string[];
  beforeAll(() => void ({ engine, page, errors } = session));

  it('builds Input -> Conv2D -> Flatten -> Dense -> Output from the palette and shows shapes on the edges', async () => {
    await startEmpty(page);
    const kinds = ['Input', 'Conv2D', 'Flatten', 'Dense', 'Output'];
    for (const [i, kind] of kinds.entries()) {
      await dropLayer(page, kind, { x: 300 + (i % 2) * 60, y: 40 + i * 125 });
      await page.getByTestId(`node-${chain[i]}`).waitFor();
    }
    for (let i = 0; i + 1 < chain.length; i++) {
      await dragConnection(page, chain[i], chain[i + 1]);
      await page.getByTestId(`edge-e_${chain[i]}_${chain[i + 1]}`).waitFor({ state: 'attached' });
    }
    for (const [id, shape] of Object.entries(expectedShapes)) await expect.poll(() => page.getByTestId(id).textContent()).toBe(shape);
    await expect.poll(() => page.getByTestId('node-shape-output_1').textContent()).toBe('→ [null,64]');
    expect(await page.locator('[data-testid^="node-error-"]').count()).toBe(0);
    await page.getByTestId('tab-summary').click();
    expect(await page.getByTestId('summary-total-params').textContent()).toBe((320 + 21632 * 64 + 64).toLocaleString('en-US'));
    await page.getByTestId('tab-inspector').click();
    await screenshot(page, 'canvas-cnn');
  });

  it('refuses, while dragging, a second input into a single-input port and a connection that closes a cycle', async () => {
    const edges = () => page.locator('[data-testid^="edge-e_"]').count();
    const before = await edges();
    await dragConnection(page, 'input_1', 'dense_1', { release: false });
    await expect.poll(() => page.getByTestId('connection-hint').textContent()).toMatch(/"dense_1" takes one input and already has one/);
    await page.mouse.up();
    expect(await edges()).toBe(before);

    await dropLayer(page, 'Add', { x: 700, y: 160 });
    await dropLayer(page, 'Activation', { x: 700, y: 330 });
    await dragConnection(page, 'add_1', 'activation_1');
    await page.getByTestId('edge-e_add_1_activation_1').waitFor({ state: 'attached' });
    await dragConnection(page, 'activation_1', 'add_1', { release: false });
    await expect
      .poll(() => page.getByTestId('connection-hint').textContent())
      .toBe('Cannot connect: would create a cycle: "add_1" already feeds "activation_1"');
    await page.mouse.up();
    expect(await page.getByTestId('edge-e_activation_1_add_1').count()).toBe(0);

    // Multi-select (shift-click) and delete both; undo brings them back, redo removes them again.
    await page.getByTestId('node-add_1').click();
    await page.getByTestId('node-activation_1').click({ modifiers: ['Shift'] });
    await page.keyboard.press('Delete');
    await page.getByTestId('node-add_1').waitFor({ state: 'detached' });
    expect(await page.getByTestId('node-activation_1').count()).toBe(0);
    await page.keyboard.press('Control+z');
    await page.getByTestId('node-activation_1').waitFor();
    await page.keyboard.press('Control+Shift+z');
    await page.getByTestId('node-activation_1').waitFor({ state: 'detached' });

    // Copy / paste makes fresh ids; undo takes the paste back.
    await page.getByTestId('node-conv2d_1').click();
    await page.keyboard.press('Control+c');
    await page.keyboard.press('Control+v');
    await page.getByTestId('node-conv2d_2').waitFor();
    await page.keyboard.press('Control+z');
    await page.getByTestId('node-conv2d_2').waitFor({ state: 'detached' });
  });

  it('auto-layout (elkjs) moves nodes as one undo step and keeps the shapes', async () => {
    const before = await page.getByTestId('node-conv2d_1').boundingBox();
    await page.getByTestId('toolbar-autoLayout').click();
    await expect.poll(() => page.getByTestId('toolbar-undo').getAttribute('title')).toBe('Undo Auto-layout (Ctrl+Z)');
    await expect.poll(async () => (await page.getByTestId('node-conv2d_1').boundingBox())?.x).not.toBe(before?.x);
    for (const [id, shape] of Object.entries(expectedShapes)) expect(await page.getByTestId(id).textContent()).toBe(shape);
    await page.getByTestId('toolbar-zoomFit').click();
    await viewportSettled(page); // the fit animates; later clicks need nodes at rest
  });

  it('shows an invalid param on the node, with the field message in the inspector', async () => {
    await page.getByTestId('node-conv2d_1').click();
    await expect.poll(() => page.getByTestId('inspector-id').inputValue()).toBe('conv2d_1');
    const filters = page.getByTestId('inspector-field-filters');
    await filters.fill('0');
    await expect.poll(() => page.getByTestId('node-error-conv2d_1').textContent()).toBe('params.filters: Too small: expected number to be >0');
    expect(await page.getByTestId('inspector-error-filters').textContent()).toBe('Too small: expected number to be >0');
    // Downstream nodes wait for the fix instead of showing errors of their own.
    expect(await page.getByTestId('node-shape-dense_1').textContent()).toBe('waiting for an upstream fix');
    await filters.fill('32');
    await page.getByTestId('node-error-conv2d_1').waitFor({ state: 'detached' });
    await expect.poll(() => page.getByTestId('edge-shape-e_conv2d_1_flatten_1').textContent()).toBe('[null,26,26,32]');
  });

  it('removing Flatten shows the Dense rank error; undo restores it', async () => {
    await page.getByTestId('node-flatten_1').click();
    await page.keyboard.press('Delete');
    await page.getByTestId('node-flatten_1').waitFor({ state: 'detached' });
    await expect.poll(() => page.getByTestId('node-error-dense_1').textContent()).toBe('Dense expects rank 2 or 3, got [null,26,26,32]: add Flatten before it');
    await page.getByTestId('toolbar-undo').click();
    await page.getByTestId('node-flatten_1').waitFor();
    await page.getByTestId('node-error-dense_1').waitFor({ state: 'detached' });
    for (const [id, shape] of Object.entries(expectedShapes)) expect(await page.getByTestId(id).textContent()).toBe(shape);
  });

  it('saves, reloads the page, opens the file: the graph is identical', async () => {
    await page.keyboard.press('Control+s');
    await page.getByTestId('save-as-name').fill('cnn');
    await page.getByTestId('save-as-confirm').click();
    await page.getByTestId('dirty-marker').waitFor({ state: 'detached' });
    const file = path.join(engine.dataDir, 'projects', 'cnn.loom.json');
    const saved = fs.readFileSync(file, 'utf8');
    expect(JSON.parse(saved).nodes.map((n: { id: string }) => n.id)).toEqual(chain);
    const before = await canvasSnapshot(page);

    await page.reload();
    await page.getByTestId('engine-status').filter({ hasText: 'open' }).waitFor();
    await page.getByTestId('node-pixels').waitFor();
    await page.getByTestId('toolbar-open').click();
    await page.getByTestId('file-cnn.loom.json').click();
    await page.getByTestId('open-confirm').click();
    await page.getByTestId('node-conv2d_1').waitFor();
    await expect.poll(() => page.getByTestId('edge-shape-e_dense_1_output_1').textContent()).toBe('[null,64]');
    expect(await canvasSnapshot(page)).toEqual(before);
    expect(await page.getByTestId('doc-title').textContent()).toBe('cnn.loom.json');
    // Saving what was opened writes the same bytes.
    await page.keyboard.press('Control+s');
    await expect.poll(() => page.getByTestId('toast').last().textContent()).toBe('Saved cnn.loom.json');
    expect(fs.readFileSync(file, 'utf8')).toBe(saved);
  });

  it('warns before leaving with unsaved changes and recovers them after a reload', async () => {
    const since = await page.evaluate(() => Date.now());
    await dropLayer(page, 'Dropout', { x: 700, y: 300 });
    await page.getByTestId('node-dropout_1').waitFor();
    await page.getByTestId('dirty-marker').waitFor();
    await autosaveHolds(page, '"dropout_1"', since); // the debounced autosave has written the change
    const dialogs: string[] = [];
    page.once('dialog', (d) => {
      dialogs.push(d.type());
      void d.accept();
    });
    await page.reload();
    expect(dialogs).toEqual(['beforeunload']);
    await page.getByTestId('dialog-recover').waitFor();
    await page.getByTestId('recover-accept').click();
    await page.getByTestId('node-dropout_1').waitFor();
    expect(await page.getByTestId('doc-title').textContent()).toBe('cnn.loom.json●');
    expect((await canvasSnapshot(page)).nodes).toContain('node-conv2d_1');
  });

  it('opens a template, asking first about the unsaved changes', async () => {
    await page.getByTestId('toolbar-templates').click();
    await page.getByTestId('template-lenet-mnist').click();
    await page.getByTestId('dialog-unsaved').waitFor();
    await page.getByTestId('unsaved-discard').click();
    await page.getByTestId('node-conv1').waitFor();
    expect(await page.getByTestId('doc-title').textContent()).toBe('lenet-mnist');
    expect(await page.getByTestId('edge-shape-e_flatten_fc1').textContent()).toBe('[null,1600]');
    expect(errors).toEqual([]);
  });

  it('the server refuses a WebSocket connection without the token', async () => {
    const attempt = (query: string) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(`ws://127.0.0.1:${engine.port}/ws${query}`);
        ws.on('open', () => {
          ws.close();
          resolve(101);
        });
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('error', () => undefined);
      });
    expect(await attempt('')).toBe(401);
    expect(await attempt('?token=wrong')).toBe(401);
    expect(await attempt(`?token=${encodeURIComponent(engine.token)}`)).toBe(101);
  });
});
