/**
 * What the canvas shows besides the editable document: a read-only graph (a past run's graph
 * as it was, a search trial's architecture) with nodes and edges highlighted (what differs
 * from the base design), and per-node / per-edge heat (e.g. DARTS choice probabilities).
 * While `readOnly` is set the canvas renders it instead of the document and refuses edits;
 * the document and its history are untouched.
 *
 * For a drawn search space it also holds the candidate whose shapes the canvas shows, the
 * per-option probabilities of each decision (drawn on opened Cells), which Cells are open,
 * and the parts the space summary's shape check blames.
 */
import { create } from 'zustand';
import type { LoomDocument } from '../../../engine/graph/schema.js';
import type { Sample } from '../../../nas/space/types.js';

/** A graph shown read-only on the canvas. */
export interface ReadOnlyView {
  doc: LoomDocument;
  /** Shown in a banner above the canvas, e.g. `Run r2026… (as trained)`. */
  title: string;
  /** Node and edge ids drawn highlighted (changed vs. the base design). */
  highlightNodes?: string[];
  highlightEdges?: string[];
}

/** Decision name -> option (as text) -> probability. */
export type ChoiceHeat = Record<string, Record<string, number>>;

/** What the shape check blames, by node id / edge id: e.g. `head.kernelSize=9`. */
export interface CheckMarks {
  nodes: Record<string, string>;
  edges: Record<string, string>;
}

interface ViewState {
  readOnly: ReadOnlyView | null;
  /** Heat in [0, 1] by node id / edge id, drawn as a colour overlay (probabilities, profiling). */
  nodeHeat: Record<string, number>;
  edgeHeat: Record<string, number>;
  /** Per-option probabilities by decision (a Cell's `<cell>.<i->j>` edges are drawn from these). */
  choiceHeat: ChoiceHeat;
  /** The candidate of the drawn space the canvas shows shapes for; null: the default one. */
  candidate: Sample | null;
  /** Cell nodes shown open (their NB201 DAG). */
  openCells: ReadonlySet<string>;
  checkMarks: CheckMarks;
  showReadOnly(view: ReadOnlyView): void;
  exitReadOnly(): void;
  setHeat(nodeHeat: Record<string, number>, edgeHeat: Record<string, number>, choiceHeat?: ChoiceHeat): void;
  setCandidate(candidate: Sample | null): void;
  toggleCell(id: string): void;
  setCheckMarks(marks: CheckMarks): void;
}

/** No marks. */
export const noCheckMarks: CheckMarks = { nodes: {}, edges: {} };

/** The store of the canvas's read-only view and heat overlay. */
export const useViewStore = create<ViewState>((set, get) => ({
  readOnly: null,
  nodeHeat: {},
  edgeHeat: {},
  choiceHeat: {},
  candidate: null,
  openCells: new Set(),
  checkMarks: noCheckMarks,
  showReadOnly: (view) => set({ readOnly: view }),
  exitReadOnly: () => set({ readOnly: null }),
  setHeat: (nodeHeat, edgeHeat, choiceHeat = {}) => set({ nodeHeat, edgeHeat, choiceHeat }),
  setCandidate: (candidate) => set({ candidate }),
  toggleCell(id) {
    const next = new Set(get().openCells);
    if (!next.delete(id)) next.add(id);
    set({ openCells: next });
  },
  setCheckMarks: (checkMarks) => set({ checkMarks }),
}));
