/** Browser-test helpers for the designer canvas: palette drops, port drags, reading the graph back. */
import type { Locator, Page } from 'playwright-core';

/** Centre of an element on the page. */
export async function centre(locator: Locator): Promise<{ x: number; y: number }> {
  const box = await locator.boundingBox();
  if (!box) throw new Error(`not visible: ${locator}`);
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** Drags a palette item onto the canvas (HTML5 drag and drop) at a point relative to the canvas. */
export async function dropLayer(page: Page, kind: string, at: { x: number; y: number }): Promise<void> {
  await page.getByTestId(`palette-item-${kind}`).dragTo(page.locator('.canvas .react-flow__pane'), { targetPosition: at });
}

/** Drags from a node's output port to another node's input port with the mouse. */
export async function dragConnection(page: Page, from: string, to: string, opts: { release?: boolean } = {}): Promise<void> {
  const a = await centre(page.getByTestId(`port-${from}-out`));
  const b = await centre(page.getByTestId(`port-${to}-in`));
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 5 });
  await page.mouse.move(b.x, b.y, { steps: 5 });
  if (opts.release !== false) await page.mouse.up();
}

/** The test ids of everything on the canvas and the shape label of each edge, for comparisons. */
export async function canvasSnapshot(page: Page): Promise<{ nodes: string[]; edges: Record<string, string> }> {
  return page.evaluate(() => {
    const ids = (sel: string) => [...document.querySelectorAll(sel)].map((e) => e.getAttribute('data-testid') ?? '');
    const edges: Record<string, string> = {};
    for (const el of document.querySelectorAll('[data-testid^="edge-shape-"]')) edges[el.getAttribute('data-testid')!] = el.textContent ?? '';
    return { nodes: ids('[data-testid^="node-"].layer-node').sort(), edges };
  });
}

/** Waits for the first-start template (mlp-digits) and replaces it with an empty graph. */
export async function startEmpty(page: Page): Promise<void> {
  await page.getByTestId('node-pixels').waitFor();
  await page.getByTestId('toolbar-new').click();
  await page.getByTestId('node-pixels').waitFor({ state: 'detached' });
}

/**
 * Resolves once the canvas viewport has stopped moving: its transform unchanged for `frames`
 * consecutive animation frames (a fit or wheel zoom animates for ~200 ms, far fewer frames
 * than this window spans at any frame rate). Event-driven, unlike a fixed sleep: a loaded
 * machine only makes it take longer, never makes it return mid-animation.
 */
export async function viewportSettled(page: Page, frames = 15): Promise<void> {
  await page.evaluate(
    (need) =>
      new Promise<void>((resolve) => {
        const viewport = document.querySelector<HTMLElement>('.react-flow__viewport');
        let last = viewport?.style.transform;
        let same = 0;
        const tick = () => {
          const now = viewport?.style.transform;
          same = now === last ? same + 1 : 0;
          last = now;
          if (same >= need) resolve();
          else requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      }),
    frames,
  );
}

/**
 * Resolves once the designer's autosave (localStorage `layerloom:autosave`) was written at or
 * after `since` (page clock, ms) with a document containing `text`.
 */
export async function autosaveHolds(page: Page, text: string, since: number): Promise<void> {
  await page.waitForFunction(
    ({ t, since }) => {
      try {
        const rec = JSON.parse(localStorage.getItem('layerloom:autosave') ?? 'null') as { text?: string; savedAt?: number } | null;
        return rec !== null && (rec.savedAt ?? 0) >= since && (rec.text ?? '').includes(t);
      } catch {
        return false;
      }
    },
    { t: text, since },
  );
}
