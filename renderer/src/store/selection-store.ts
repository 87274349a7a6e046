/**
 * What is selected on the canvas: node and edge ids. The canvas writes it (clicks, box
 * selection) and so do commands that create things (the new node is selected); the
 * inspector, delete and copy read it.
 */
import { create } from 'zustand';

interface SelectionState {
  nodes: ReadonlySet<string>;
  edges: ReadonlySet<string>;
  /** Replaces the selection. */
  select(nodes: Iterable<string>, edges?: Iterable<string>): void;
  clear(): void;
}

const none: ReadonlySet<string> = new Set();

/** The selection store. */
export const useSelectionStore = create<SelectionState>((set) => ({
  nodes: none,
  edges: none,
  select: (nodes, edges = []) => set({ nodes: new Set(nodes), edges: new Set(edges) }),
  clear: () => set({ nodes: none, edges: none }),
}));

/** Drops selected ids that are not in the graph any more (after undo, delete, open). */
export function pruneSelection(nodeIds: Iterable<string>, edgeIds: Iterable<string | undefined>): void {
  const { nodes, edges, select } = useSelectionStore.getState();
  if (!nodes.size && !edges.size) return;
  const n = new Set(nodeIds);
  const e = new Set(edgeIds);
  const keptNodes = [...nodes].filter((id) => n.has(id));
  const keptEdges = [...edges].filter((id) => e.has(id));
  if (keptNodes.length !== nodes.size || keptEdges.length !== edges.size) select(keptNodes, keptEdges);
}

/** Applies xyflow-style select changes (`{id, selected}`) to a set; returns the same set when nothing changes. */
export function applySelect(current: ReadonlySet<string>, changes: { id: string; selected: boolean }[]): ReadonlySet<string> {
  const next = new Set(current);
  for (const c of changes) {
    if (c.selected) next.add(c.id);
    else next.delete(c.id);
  }
  return next.size === current.size && [...next].every((id) => current.has(id)) ? current : next;
}
