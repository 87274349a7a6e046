/**
 * Search spaces drawn and edited on the canvas, in Chromium against a real `layerloom serve`:
 * the space-digits template shows searchable-param badges, its Repeat as a frame around its
 * block, the optional skip dashed with its toggle and the shapes of the candidate shown; making
 * a param searchable in the inspector doubles the space, switching the skip off halves it, a
 * kernel that cannot fit fails the shape check with the blamed value marked in the summary
 * and on the node; a Cell from the palette opens to show its NB201 DAG, and a layer dropped
 * into a Repeat frame joins it.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { dragConnection, dropLayer } from './canvas-helpers.js';
import { designerSession, screenshot } from './harness.js';
import { needs } from '../tools.js';

/** Waits until the permanent summary strip shows `n` candidates. */
async function spaceSize(page: Page, n: number): Promise<void> {
  await page
    .getByTestId('space-size')
    .filter({ hasText: new RegExp(`^${n}$`) })
    .waitFor({ timeout: 20_000 });
  expect(await page.getByTestId('space-size').count()).toBe(1);
}

/** Adds `value` to the choice of `param` in the inspector. */
async function addChoice(page: Page, param: string, value: string): Promise<void> {
  const add = page.getByTestId(`inspector-chip-add-${param}`);
  await add.fill(value);
  await add.press('Enter');
}

describe('search spaces on the canvas (Chromium)', needs('chromium'), () => {
  const session = designerSession();
  let page: Page;
  beforeAll(() => void (page = session.page));

  it('draws the space-digits template: badges, the Repeat frame, the dashed optional edge, example shapes', async () => {
    await page.getByTestId('toolbar-templates').click();
    await page.getByTestId('template-spaces/space-digits').click();
    await page.getByTestId('doc-title').filter({ hasText: 'space-digits' }).waitFor();
    await spaceSize(page, 72);

    expect(await page.getByTestId('badge-head-filters').textContent()).toBe('filters ∈ {16,32,64}');
    expect(await page.getByTestId('badge-stem-kernelSize').textContent()).toBe('kernelSize ∈ {3,5}');
    // The Repeat is a frame holding its block.
    expect(await page.getByTestId('repeat-range-blocks').textContent()).toBe('×1..3');
    const frame = (await page.getByTestId('node-blocks').boundingBox())!;
    for (const member of ['block_conv', 'block_bn', 'block_relu']) {
      const box = (await page.getByTestId(`node-${member}`).boundingBox())!;
      expect(box.x >= frame.x && box.y >= frame.y && box.x + box.width <= frame.x + frame.width && box.y + box.height <= frame.y + frame.height, member).toBe(
        true,
      );
    }
    // The optional skip is dashed and carries its toggle.
    const skip = page.getByTestId('edge-e_stem_residual');
    expect(await skip.getAttribute('class')).toContain('optional');
    expect(await skip.evaluate((el) => getComputedStyle(el).strokeDasharray)).not.toBe('none');
    expect(await page.getByTestId('edge-optional-e_stem_residual').getAttribute('aria-pressed')).toBe('true');
    // Shapes of the candidate shown, marked as examples.
    expect(await page.getByTestId('edge-shape-e_pixels_stem').textContent()).toBe('[null,8,8,1]');
    expect(await page.getByTestId('edge-shape-e_pool_head').textContent()).toBe('[null,4,4,16]');
    expect(await page.getByTestId('edge-shape-e_blocks_residual').getAttribute('title')).toMatch(/^e\.g\. \[null,8,8,16\]/);
    expect(await page.getByTestId('node-shape-block_relu').textContent()).toBe('→ [null,8,8,16]');
  });

  it('edits the space: a searchable param doubles it, the optional skip switched off halves it', async () => {
    await page.getByTestId('node-stem').click();
    await page.getByTestId('inspector-search-filters').click();
    await expect.poll(() => page.getByTestId('badge-stem-filters').textContent()).toBe('filters ∈ {16}');
    await addChoice(page, 'filters', '8');
    await expect.poll(() => page.getByTestId('badge-stem-filters').textContent()).toBe('filters ∈ {16,8}');
    await spaceSize(page, 144);

    await page.getByTestId('edge-optional-e_stem_residual').click();
    await spaceSize(page, 72);
    expect(await page.getByTestId('edge-e_stem_residual').getAttribute('class')).not.toContain('optional');
    expect(await page.getByTestId('edge-optional-e_stem_residual').count()).toBe(0);
    // With the skip always there, 8 stem filters cannot be added to the block's 16: blamed in
    // the summary and on the node.
    await expect.poll(() => page.getByTestId('shape-check').textContent()).toMatch(/36 of 72 checked candidates fail/);
    expect(await page.locator('.failures .blamed').first().textContent()).toBe('stem.filters=8');
    await expect.poll(() => page.getByTestId('node-failing-stem').textContent()).toBe('shape check fails: stem.filters=8');
    // Undo brings the optional skip back; removing the 8 leaves a space that fits.
    await page.getByTestId('toolbar-undo').click();
    await spaceSize(page, 144);
    expect(await page.getByTestId('edge-e_stem_residual').getAttribute('class')).toContain('optional');
    await page.getByTestId('inspector-chip-remove-filters-1').click();
    await spaceSize(page, 72);
    await expect.poll(() => page.getByTestId('shape-check').textContent()).toMatch(/all 72 checked candidates fit/);
    expect(await page.getByTestId('node-failing-stem').count()).toBe(0);

    // The Repeat's range in the inspector: max 2 leaves 2 of 3 depths.
    await page.getByTestId('node-blocks').click({ position: { x: 12, y: 10 } });
    await page.getByTestId('inspector-field-max').fill('2');
    await spaceSize(page, 48);
    expect(await page.getByTestId('repeat-range-blocks').textContent()).toBe('×1..2');
    await page.getByTestId('toolbar-undo').click();
    await spaceSize(page, 72);
  });

  it('drags a member out of its frame (the space then says what is wrong) and undoes it', async () => {
    const box = (await page.getByTestId('node-block_relu').boundingBox())!;
    await page.mouse.move(box.x + 60, box.y + 10);
    await page.mouse.down();
    await page.mouse.move(box.x - 150, box.y + 150, { steps: 8 });
    await page.mouse.move(box.x - 300, box.y + 250, { steps: 8 });
    await page.mouse.up();
    await expect
      .poll(() => page.getByTestId('space-error').textContent())
      .toMatch(/node "block_bn" belongs to group "blocks" and connects outside it only through that node/);
    await page.getByTestId('node-block_relu').click();
    expect(await page.getByTestId('inspector-group').count()).toBe(0);
    const inFrame = async () => {
      const [f, n] = [(await page.getByTestId('node-blocks').boundingBox())!, (await page.getByTestId('node-block_relu').boundingBox())!];
      return n.x >= f.x && n.x + n.width <= f.x + f.width && n.y >= f.y && n.y + n.height <= f.y + f.height;
    };
    expect(await inFrame()).toBe(false);
    // One undo step puts it back where it was, in the frame.
    await page.getByTestId('toolbar-undo').click();
    await spaceSize(page, 72);
    await page.getByTestId('node-block_relu').click();
    await expect.poll(() => page.getByTestId('inspector-group').textContent()).toContain('Repeat blocks');
    expect(await inFrame()).toBe(true);
  });

  it('marks a failing choice in the summary and on its node, and shows the failing candidate', async () => {
    await page.getByTestId('node-head').click();
    await page.getByTestId('inspector-field-padding').selectOption('valid');
    await page.getByTestId('inspector-search-kernelSize').click();
    await addChoice(page, 'kernelSize', '5');
    await spaceSize(page, 144);
    const check = page.getByTestId('shape-check');
    await expect.poll(() => check.textContent()).toMatch(/fail/);
    expect(await page.locator('.failures .blamed').first().textContent()).toBe('head.kernelSize=5');
    await expect.poll(() => page.getByTestId('node-failing-head').textContent()).toContain('head.kernelSize=5');
    // The default candidate (kernel 3) fits; the failing one shows the error on the node.
    expect(await page.getByTestId('node-error-head').count()).toBe(0);
    await page.getByTestId('shape-failure-show-0').click();
    await page.getByTestId('node-error-head').waitFor();
    await page.mouse.move(5, 400); // no hover card in the picture
    await screenshot(page, 'space-canvas');
    await page.getByTestId('space-show-default').click();
    await page.getByTestId('node-error-head').waitFor({ state: 'detached' });
  });

  it('adds a Cell from the palette to a small net and opens its DAG; a layer dropped into a Repeat frame joins it', async () => {
    await page.getByTestId('toolbar-new').click();
    await page.getByTestId('unsaved-discard').click();
    await page.getByTestId('node-head').waitFor({ state: 'detached' });
    for (const [kind, y] of [
      ['Input', 40],
      ['Cell', 200],
      ['Output', 600],
    ] as const)
      await dropLayer(page, kind, { x: 300, y });
    await dragConnection(page, 'input_1', 'cell_1');
    await dragConnection(page, 'cell_1', 'output_1');
    await spaceSize(page, 15625);
    await expect.poll(() => page.getByTestId('edge-shape-e_cell_1_output_1').textContent()).toBe('[null,28,28,1]');

    await page.getByTestId('cell-toggle-cell_1').click();
    const rows = page.locator('[data-testid^="cell-edge-cell_1-"]');
    expect(await rows.count()).toBe(6);
    expect(await page.getByTestId('cell-edge-cell_1-0-3').textContent()).toBe('0→3{none, skip, conv1x1, conv3x3, avgpool3x3}');
    await page.mouse.move(5, 400);
    await screenshot(page, 'space-canvas-cell');

    await dropLayer(page, 'Repeat', { x: 700, y: 80 });
    await page.getByTestId('node-repeat_1').waitFor();
    const frame = (await page.getByTestId('node-repeat_1').boundingBox())!;
    const canvas = (await page.locator('.canvas .react-flow__pane').boundingBox())!;
    await dropLayer(page, 'Dense', { x: frame.x - canvas.x + frame.width / 2, y: frame.y - canvas.y + frame.height / 2 });
    await expect.poll(() => page.getByTestId('inspector-group').textContent()).toContain('Repeat repeat_1');
    expect(session.errors).toEqual([]);
  });
});
