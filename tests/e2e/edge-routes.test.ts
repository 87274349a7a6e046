/**
 * Readable graphs in Chromium: the residual example and the drawn search space, auto-laid
 * out; every edge is drawn as a route, and no route runs through a node's box as the page
 * draws it (boxes read from the DOM). Screenshots of both.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { needs } from '../tools.js';
import { designerSession, screenshot } from './harness.js';

/** In the page: each edge's route and its ends, and every node's box (flow coordinates, absolute). */
function readCanvas() {
  const boxes: Record<string, { x: number; y: number; width: number; height: number; frame: boolean }> = {};
  // React Flow places every node (frame members too) by its absolute position.
  const pos = (el: HTMLElement): { x: number; y: number } => {
    const m = /translate\(([-\d.]+)px, ?([-\d.]+)px\)/.exec(el.style.transform);
    return m ? { x: Number(m[1]), y: Number(m[2]) } : { x: 0, y: 0 };
  };
  for (const el of document.querySelectorAll<HTMLElement>('.react-flow__node')) {
    const p = pos(el);
    boxes[el.dataset.id!] = { ...p, width: el.offsetWidth, height: el.offsetHeight, frame: el.classList.contains('react-flow__node-container') };
  }
  const edges = [...document.querySelectorAll<SVGPathElement>('path[data-testid^="edge-"]')].map((p) => ({
    id: p.getAttribute('data-testid')!,
    route: p.getAttribute('data-route'),
  }));
  return { boxes, edges };
}

async function layoutAndCheck(page: Page, template: string, name: string): Promise<number> {
  await page.getByTestId('toolbar-templates').click();
  await page.getByTestId(`template-${template}`).click();
  // The previous graph was auto-laid out (unsaved): leave it.
  await page
    .getByTestId('unsaved-discard')
    .click({ timeout: 1500 })
    .catch(() => undefined);
  await page
    .getByTestId('doc-title')
    .filter({ hasText: template.split('/').at(-1)! })
    .waitFor();
  await page.getByTestId('toolbar-autoLayout').click();
  await page.waitForTimeout(600); // layout, then the fit animation
  const { boxes, edges } = await page.evaluate(readCanvas);
  expect(edges.length).toBeGreaterThan(0);
  const flat = Object.entries(boxes);
  let bends = 0;
  for (const e of edges) {
    expect(e.route, `${e.id} is routed`).not.toBeNull();
    const points = JSON.parse(e.route!) as { x: number; y: number }[];
    bends += points.length - 2;
    for (let i = 0; i + 1 < points.length; i++) {
      const [a, c] = [points[i], points[i + 1]];
      for (const [id, b] of flat) {
        if (b.frame) continue; // frames hold their members' edges
        // The first and last runs touch their own ends' boxes.
        const touching =
          (i === 0 && Math.abs(a.y - (b.y + b.height)) < 12 && a.x > b.x && a.x < b.x + b.width) ||
          (i === points.length - 2 && Math.abs(c.y - b.y) < 12 && c.x > b.x && c.x < b.x + b.width);
        if (touching) continue;
        const hit = Math.min(a.x, c.x) < b.x + b.width && Math.max(a.x, c.x) > b.x && Math.min(a.y, c.y) < b.y + b.height && Math.max(a.y, c.y) > b.y;
        expect(hit, `${e.id} crosses ${id}`).toBe(false);
      }
    }
  }
  await screenshot(page, name);
  return bends;
}

describe('readable graphs (Chromium)', needs('chromium'), () => {
  const session = designerSession(15_000);
  let page: Page;
  beforeAll(() => {
    ({ page } = session);
    page.on('dialog', (d) => void d.accept());
  });

  it('routes the residual connection of resnet-block-shapes around its block', async () => {
    const bends = await layoutAndCheck(page, 'resnet-block-shapes', 'edges-resnet-routed');
    expect(bends).toBeGreaterThan(0); // the skip edge bends around the block
  });

  it('routes the edges of the drawn space (a Repeat frame, an optional skip) around nodes', async () => {
    await layoutAndCheck(page, 'spaces/space-digits', 'edges-space-digits-routed');
    expect(session.errors).toEqual([]);
  });
});
