/** Edits of the current selection: delete, copy, cut, paste, duplicate, select all. */
import { deleteElements } from '../store/commands/delete.js';
import { copyFragment, pasteFragment, type Fragment } from '../store/commands/paste.js';
import { putOnClipboard, takeFromClipboard } from '../store/clipboard.js';
import { useDocumentStore } from '../store/document-store.js';
import { perform } from '../store/edit.js';
import { useSelectionStore } from '../store/selection-store.js';
import { useViewStore } from '../store/view-store.js';

function shownDoc() {
  return useViewStore.getState().readOnly?.doc ?? useDocumentStore.getState().doc;
}

/** Deletes the selected nodes and edges (splicing chains). */
export function deleteSelection(): void {
  const { nodes, edges } = useSelectionStore.getState();
  if (!nodes.size && !edges.size) return;
  if (perform(deleteElements(nodes, edges))) useSelectionStore.getState().clear();
}

/** Copies the selected nodes (and the edges among them); returns what was copied. Works on read-only graphs too. */
export function copySelection(): Fragment | null {
  const { nodes } = useSelectionStore.getState();
  if (!nodes.size) return null;
  const fragment = copyFragment(shownDoc(), nodes);
  putOnClipboard(fragment);
  return fragment;
}

/** Copy, then delete (refused, after copying, on a read-only graph). */
export function cutSelection(): Fragment | null {
  const fragment = copySelection();
  deleteSelection();
  return fragment;
}

/** Pastes `fragment` (from the system clipboard) or the held one, and selects what was pasted. */
export function pasteClipboard(fragment?: Fragment | null): void {
  if (fragment) putOnClipboard(fragment);
  const held = takeFromClipboard();
  if (!held) return;
  const { command, ids } = pasteFragment(useDocumentStore.getState().doc, held.fragment, held.offset);
  if (perform(command)) useSelectionStore.getState().select(ids);
}

/** Copy + paste in one go. */
export function duplicateSelection(): void {
  const { nodes } = useSelectionStore.getState();
  if (!nodes.size) return;
  const doc = useDocumentStore.getState().doc;
  const { command, ids } = pasteFragment(doc, copyFragment(doc, nodes), { x: 40, y: 40 });
  if (perform(command)) useSelectionStore.getState().select(ids);
}

/** Selects every node of the shown graph. */
export function selectAll(): void {
  useSelectionStore.getState().select(shownDoc().nodes.map((n) => n.id));
}
