/**
 * Keyboard-first editing in Chromium against a real `layerloom serve`: the LeNet example
 * built with the keyboard only (quick-add `/`, Enter into the inspector, typing), checked
 * against examples/lenet-mnist.loom.json's shapes and parameter count; arrow keys walking the
 * selection, Delete, Ctrl+D, Ctrl+G; and the shortcut sheet listing every registered shortcut.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { canvasSnapshot, startEmpty } from './canvas-helpers.js';
import { needs } from '../tools.js';
import { designerSession, screenshot } from './harness.js';

/** `/`, the kind, Enter: inserts after the selection. */
async function quickAdd(page: Page, query: string, id: string): Promise<void> {
  await page.keyboard.press('/');
  await page.getByTestId('quick-add-input').waitFor();
  await page.keyboard.type(query);
  await page.keyboard.press('Enter');
  await page.getByTestId(`node-${id}`).waitFor();
  await expect.poll(() => page.getByTestId('inspector-id').inputValue()).toBe(id);
}

/** Enter on the selected node, then type into its parameters field by field (Tab between them), Enter to leave. */
async function editParams(page: Page, values: string[]): Promise<void> {
  await page.keyboard.press('Enter');
  await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? '')).toMatch(/^inspector-field-/);
  const focused = () => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? '');
  for (const [i, v] of values.entries()) {
    // Tab to the next field (past the label's search switch).
    if (i > 0)
      do await page.keyboard.press('Tab');
      while (!(await focused()).startsWith('inspector-field-'));
    if (v === '') continue;
    const tag = await page.evaluate(() => document.activeElement?.tagName);
    if (tag === 'INPUT') {
      await page.keyboard.press('Control+A');
      await page.keyboard.type(v);
    } else await page.keyboard.type(v); // a <select>: typing picks the option
  }
  // Leave the form: Enter commits a text field; Escape leaves a select.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
}

const lenetShapes = ['[null,28,28,1]', '[null,26,26,32]', '[null,13,13,32]', '[null,11,11,64]', '[null,5,5,64]', '[null,1600]', '[null,128]', '[null,10]'];

describe('keyboard-first editing (Chromium)', needs('chromium'), () => {
  const session = designerSession();
  let page: Page;
  beforeAll(() => void ({ page } = session));

  it('builds the LeNet example with the keyboard only', async () => {
    await startEmpty(page);
    await quickAdd(page, 'input', 'input_1'); // starts as 28×28×1
    await quickAdd(page, 'conv2d', 'conv2d_1'); // 32 filters, 3×3, relu
    await quickAdd(page, 'maxpool2d', 'maxpool2d_1');
    await quickAdd(page, 'conv2d', 'conv2d_2');
    await editParams(page, ['64']);
    await quickAdd(page, 'maxpool2d', 'maxpool2d_2');
    await quickAdd(page, 'flatten', 'flatten_1');
    await quickAdd(page, 'dense', 'dense_1');
    await editParams(page, ['128']);
    await quickAdd(page, 'dense', 'dense_2');
    await editParams(page, ['10', 'softmax']);
    await quickAdd(page, 'output', 'output_1');

    const snap = await canvasSnapshot(page);
    expect(snap.nodes).toHaveLength(9);
    const chain = ['input_1', 'conv2d_1', 'maxpool2d_1', 'conv2d_2', 'maxpool2d_2', 'flatten_1', 'dense_1', 'dense_2', 'output_1'];
    const shapes = chain.slice(0, -1).map((id, i) => snap.edges[`edge-shape-e_${id}_${chain[i + 1]}`]);
    expect(shapes).toEqual(lenetShapes);
    expect(await page.locator('[data-testid^="node-error-"]').count()).toBe(0);
    // examples/lenet-mnist.loom.json: 320 + 18,496 + 204,928 + 1,290 parameters.
    await page.getByTestId('tab-summary').click();
    expect(await page.getByTestId('summary-total-params').textContent()).toBe((225_034).toLocaleString('en-US'));
    await page.getByTestId('tab-inspector').click();
    expect(await page.getByTestId('node-dense_2').textContent()).toContain('softmax');
    await page.keyboard.press('Shift+Digit1');
    await page.waitForTimeout(400); // the zoom-to-fit animation
    await screenshot(page, 'keyboard-lenet');
  });

  it('walks the selection along edges, deletes, duplicates and groups with keys', async () => {
    const selected = () => page.getByTestId('inspector-id').inputValue();
    // output_1 is selected: up the chain.
    for (const id of ['dense_2', 'dense_1', 'flatten_1']) {
      await page.keyboard.press('ArrowUp');
      await expect.poll(selected).toBe(id);
    }
    await page.keyboard.press('ArrowDown');
    await expect.poll(selected).toBe('dense_1');
    // Delete splices dense_1 out (flatten_1 -> dense_2); undo brings it back.
    await page.keyboard.press('Delete');
    await page.getByTestId('node-dense_1').waitFor({ state: 'detached' });
    await page.getByTestId('edge-shape-e_flatten_1_dense_2').waitFor();
    await page.keyboard.press('Control+Z');
    await page.getByTestId('node-dense_1').waitFor();
    // Ctrl+D duplicates the selection.
    await page.getByTestId('node-dense_1').click();
    await page.keyboard.press('Control+D');
    await page.getByTestId('node-dense_3').waitFor();
    await page.keyboard.press('Delete');
    await page.getByTestId('node-dense_3').waitFor({ state: 'detached' });
    // Ctrl+G puts the selection into a Repeat frame that takes its edges.
    await page.getByTestId('node-dense_1').click();
    await page.keyboard.press('Control+G');
    await page.getByTestId('node-repeat_1').waitFor();
    await page.getByTestId('edge-e_flatten_1_repeat_1').waitFor({ state: 'attached' });
    await page.getByTestId('edge-e_repeat_1_dense_2').waitFor({ state: 'attached' });
    await screenshot(page, 'keyboard-grouped');
    await page.keyboard.press('Control+Z');
    await page.getByTestId('node-repeat_1').waitFor({ state: 'detached' });
  });

  it('lists every shortcut under Help ▸ Keyboard shortcuts', async () => {
    await page.getByTestId('toolbar-help').locator('summary').click();
    await page.getByTestId('toolbar-shortcuts').click();
    const sheet = page.getByTestId('shortcut-sheet');
    await sheet.waitFor();
    const text = (await sheet.textContent()) ?? '';
    for (const key of ['/', 'Ctrl+D', 'Ctrl+G', 'Ctrl+Shift+G', 'Delete', '↑', '↓', 'Ctrl+Shift+F', 'Escape', 'Ctrl+Z', 'Enter']) expect(text).toContain(key);
    await screenshot(page, 'shortcut-sheet');
    await page.keyboard.press('Escape');
    await sheet.waitFor({ state: 'detached' });
    await page.keyboard.press('?');
    await sheet.waitFor();
    await page.keyboard.press('Escape');
  });

  it("shows what a layer does: the kind's doc, why its output shape is what it is, each param's description on hover", async () => {
    await page.getByTestId('node-conv2d_1').click();
    const inspector = page.getByTestId('inspector');
    expect(await inspector.locator('.inspector-head').textContent()).toContain('2-D convolution over [batch, height, width, channels] images.');
    expect(await page.getByTestId('inspector-shape-why').textContent()).toBe(
      'height and width: 26 = (28 − 3)/1 + 1 (kernel 3×3, stride 1, valid padding); 32 channels = filters',
    );
    const padding = page.getByTestId('inspector-param-padding');
    expect(await padding.getAttribute('data-doc')).toMatch(/^'valid': no padding.*'same'.*Accepts one of the options\.$/);
    await padding.hover();
    await screenshot(page, 'inspector-explain');
    // The explanation follows edits: stride 2 with same padding.
    await page.getByTestId('inspector-field-strides').fill('2');
    await page.getByTestId('inspector-field-padding').selectOption('same');
    await expect
      .poll(() => page.getByTestId('inspector-shape-why').textContent())
      .toBe('height and width: 14 = ⌈28 / 2⌉ (kernel 3×3, stride 2, same padding); 32 channels = filters');
    expect(session.errors).toEqual([]);
  });
});
