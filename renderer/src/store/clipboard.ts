/**
 * The clipboard for copy / cut / paste of graph fragments: held in the app, and also written
 * to the system clipboard as JSON text when the copy comes through a clipboard event (the
 * Edit menu, another window), so a fragment can be pasted into another Layerloom window.
 */
import { z } from 'zod';
import { edgeSchema, nodeSchema } from '../../../engine/graph/schema.js';
import type { Fragment } from './commands/paste.js';

let held: Fragment | null = null;
let pastes = 0;

/** Puts a fragment on the clipboard. */
export function putOnClipboard(fragment: Fragment): void {
  if (!fragment.nodes.length) return;
  held = fragment;
  pastes = 0;
}

/** The fragment to paste and the offset for this paste (each paste lands further down-right). */
export function takeFromClipboard(): { fragment: Fragment; offset: { x: number; y: number } } | null {
  if (!held) return null;
  pastes++;
  return { fragment: held, offset: { x: 40 * pastes, y: 40 * pastes } };
}

const fragmentSchema = z.object({ layerloomFragment: z.literal(1), nodes: z.array(nodeSchema).min(1), edges: z.array(edgeSchema) });

/** A fragment as clipboard text. */
export function fragmentText(fragment: Fragment): string {
  return JSON.stringify({ layerloomFragment: 1, ...fragment });
}

/** The fragment in clipboard text, or null when the text is something else. */
export function fragmentFromText(text: string): Fragment | null {
  try {
    const r = fragmentSchema.safeParse(JSON.parse(text));
    if (!r.success) return null;
    const ids = new Set(r.data.nodes.map((n) => n.id));
    return { nodes: r.data.nodes, edges: r.data.edges.filter((e) => ids.has(e.source) && ids.has(e.target)) };
  } catch {
    return null;
  }
}
