/**
 * The open document and its history. Every edit is a named {@link Command} (Excalidraw's
 * actions): menus, shortcuts and the canvas all go through `run`, so undo/redo, dirty state
 * and autosave see every change the same way. Documents are immutable values; history keeps
 * the previous values (structurally shared, so cheap even for 1,000 nodes).
 */
import { create } from 'zustand';
import type { LoomDocument } from '../../../engine/graph/schema.js';

/** One user edit. `apply` must not mutate its argument. */
export interface Command {
  /** Stable id, e.g. `add-node`, `set-param`. */
  name: string;
  /** What the Undo menu says, e.g. `Add Conv2D`. */
  label: string;
  apply(doc: LoomDocument): LoomDocument;
  /**
   * Consecutive commands with the same key within a second merge into one undo step
   * (a drag, typing in a field).
   */
  coalesceKey?: string;
}

interface HistoryEntry {
  doc: LoomDocument;
  label: string;
  key?: string;
  at: number;
}

/** State and actions of the document store. */
export interface DocumentState {
  doc: LoomDocument;
  /** The file it was opened from / saved to (web mode: a projects-folder name; Electron: a path). */
  fileName: string | null;
  dirty: boolean;
  /** Increments on every change (autosave, derived data). */
  revision: number;
  /** Increments on every `load` (the canvas fits the view to a newly opened document). */
  loads: number;
  past: HistoryEntry[];
  future: HistoryEntry[];
  run(command: Command): void;
  undo(): void;
  redo(): void;
  /** Replaces the document (open, new, template) and clears history. */
  load(doc: LoomDocument, fileName: string | null, opts?: { dirty?: boolean }): void;
  /** Marks the current state as saved under `fileName`. */
  markSaved(fileName: string): void;
}

const HISTORY_LIMIT = 200;
const COALESCE_MS = 1000;

/** An empty version-1 document. */
export function emptyDocument(name = 'untitled'): LoomDocument {
  return { version: 1, name, nodes: [], edges: [] };
}

/** The store holding the open document. */
export const useDocumentStore = create<DocumentState>((set, get) => ({
  doc: emptyDocument(),
  fileName: null,
  dirty: false,
  revision: 0,
  loads: 0,
  past: [],
  future: [],
  run(command) {
    const { doc, past, revision } = get();
    const next = command.apply(doc);
    if (next === doc) return;
    const now = Date.now();
    const last = past[past.length - 1];
    const merge = command.coalesceKey !== undefined && last?.key === command.coalesceKey && now - last.at < COALESCE_MS;
    const entry: HistoryEntry = { doc, label: command.label, key: command.coalesceKey, at: now };
    const nextPast = merge ? [...past.slice(0, -1), { ...last, at: now }] : [...past, entry].slice(-HISTORY_LIMIT);
    set({ doc: next, past: nextPast, future: [], dirty: true, revision: revision + 1 });
  },
  undo() {
    const { doc, past, future, revision } = get();
    const prev = past[past.length - 1];
    if (!prev) return;
    set({ doc: prev.doc, past: past.slice(0, -1), future: [{ ...prev, doc }, ...future], dirty: true, revision: revision + 1 });
  },
  redo() {
    const { doc, past, future, revision } = get();
    const next = future[0];
    if (!next) return;
    set({ doc: next.doc, past: [...past, { ...next, doc, key: undefined }], future: future.slice(1), dirty: true, revision: revision + 1 });
  },
  load(doc, fileName, opts) {
    set({ doc, fileName, dirty: opts?.dirty ?? false, past: [], future: [], revision: get().revision + 1, loads: get().loads + 1 });
  },
  markSaved(fileName) {
    set({ fileName, dirty: false });
  },
}));

/** The document as `.loom.json` text (what Save writes and what a run starts from). */
export function documentText(doc: LoomDocument = useDocumentStore.getState().doc): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}
