/**
 * What the canvas shows besides the editable document: a read-only graph (a past run's graph
 * as it was, a search trial's architecture) with nodes and edges highlighted (what differs
 * from the base design), and per-node / per-edge heat (e.g. DARTS choice probabilities).
 * While `readOnly` is set the canvas renders it instead of the document and refuses edits;
 * the document and its history are untouched.
 */
import { create } from 'zustand';
import type { LoomDocument } from '../../../engine/graph/schema.js';

/** A graph shown read-only on the canvas. */
export interface ReadOnlyView {
  doc: LoomDocument;
  /** Shown in a banner above the canvas, e.g. `Run r2026… (as trained)`. */
  title: string;
  /** Node and edge ids drawn highlighted (changed vs. the base design). */
  highlightNodes?: string[];
  highlightEdges?: string[];
}

interface ViewState {
  readOnly: ReadOnlyView | null;
  /** Heat in [0, 1] by node id / edge id, drawn as a colour overlay (probabilities, profiling). */
  nodeHeat: Record<string, number>;
  edgeHeat: Record<string, number>;
  showReadOnly(view: ReadOnlyView): void;
  exitReadOnly(): void;
  setHeat(nodeHeat: Record<string, number>, edgeHeat: Record<string, number>): void;
}

/** The store of the canvas's read-only view and heat overlay. */
export const useViewStore = create<ViewState>((set) => ({
  readOnly: null,
  nodeHeat: {},
  edgeHeat: {},
  showReadOnly: (view) => set({ readOnly: view }),
  exitReadOnly: () => set({ readOnly: null }),
  setHeat: (nodeHeat, edgeHeat) => set({ nodeHeat, edgeHeat }),
}));
