/** Moving nodes (a drag, arrow keys, auto-layout): one undo step per call. */
import type { Command } from '../document-store.js';

/** Positions by node id. */
export type Positions = Record<string, { x: number; y: number }>;

/**
 * Sets the given nodes' positions. Other fields keep their identity, so derived data that
 * ignores positions (shape inference) sees an unchanged graph.
 */
export function moveNodes(positions: Positions, opts: { label?: string; coalesceKey?: string } = {}): Command {
  const ids = Object.keys(positions);
  return {
    name: 'move',
    label: opts.label ?? (ids.length === 1 ? `Move ${ids[0]}` : `Move ${ids.length} nodes`),
    coalesceKey: opts.coalesceKey,
    apply(doc) {
      let changed = false;
      const nodes = doc.nodes.map((n) => {
        const p = positions[n.id];
        if (!p || (p.x === n.position.x && p.y === n.position.y)) return n;
        changed = true;
        return { ...n, position: { x: p.x, y: p.y } };
      });
      return changed ? { ...doc, nodes } : doc;
    },
  };
}
