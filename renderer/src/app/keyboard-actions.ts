/**
 * The keyboard-first edits behind the shortcuts: insert a kind after the selected node
 * (quick-add), walk the selection along edges, group the selection into a Repeat / Choice
 * frame, jump into the inspector's fields. Each edit is a named command through `perform`.
 */
import { groupInto, groupProblem } from '../store/commands/group.js';
import { newNodeId } from '../store/commands/ids.js';
import { insertAfter } from '../store/commands/insert-after.js';
import { useDocumentStore } from '../store/document-store.js';
import { perform } from '../store/edit.js';
import { notify } from '../store/notify-store.js';
import { stepSelection, type Direction } from '../store/selection-nav.js';
import { useSelectionStore } from '../store/selection-store.js';
import { useViewStore } from '../store/view-store.js';
import { viewCentre } from '../features/canvas/add-layer.js';
import { starterParams } from '../features/palette/starter-params.js';
import { emitAppCommand } from './app-commands.js';
import { useLayoutStore } from './layout-store.js';

function shownDoc() {
  return useViewStore.getState().readOnly?.doc ?? useDocumentStore.getState().doc;
}

/** The one selected node, if exactly one is selected. */
function soleSelected(): string | null {
  const { nodes } = useSelectionStore.getState();
  return nodes.size === 1 ? [...nodes][0] : null;
}

/**
 * Inserts a `kind` node after the selected node, wired in (or, with nothing selected, at
 * `point` or the view's centre), and selects it so the next insert chains on. Returns its id.
 */
export function quickInsert(kind: string, point?: { x: number; y: number }): string | null {
  const doc = useDocumentStore.getState().doc;
  const id = newNodeId(doc, kind);
  const after = soleSelected();
  if (!perform(insertAfter(after && doc.nodes.some((n) => n.id === after) ? after : null, { id, kind, params: starterParams(kind) }, point ?? viewCentre())))
    return null;
  useSelectionStore.getState().select([id]);
  emitAppCommand('reveal-selection');
  return id;
}

/** Moves the selection one step along the graph (arrow keys). */
export function stepSelectionBy(dir: Direction): void {
  const next = stepSelection(shownDoc(), soleSelected(), dir);
  if (next === null) return;
  useSelectionStore.getState().select([next]);
  emitAppCommand('reveal-selection');
}

/** Groups the selection into a new Repeat or Choice frame, or says why it cannot. */
export function groupSelection(kind: 'Repeat' | 'Choice'): void {
  const doc = useDocumentStore.getState().doc;
  const ids = useSelectionStore.getState().nodes;
  const problem = groupProblem(doc, ids);
  if (problem) return notify(`Cannot group: ${problem}.`, 'error');
  const frameId = newNodeId(doc, kind);
  if (perform(groupInto(ids, kind, frameId))) useSelectionStore.getState().select([frameId]);
}

/** Shows the inspector and puts the cursor in the selected node's first parameter. */
export function focusInspector(): void {
  if (!soleSelected()) return;
  useLayoutStore.getState().setTab('inspector');
  // The tab renders on the next frame.
  requestAnimationFrame(() => {
    const field = document.querySelector<HTMLElement>('[data-testid="inspector"] .form-input [data-testid^="inspector-field-"]');
    (field ?? document.querySelector<HTMLElement>('[data-testid="inspector-id"]'))?.focus();
  });
}

/** Escape: back to the canvas from a full-window dashboard or the shortcut sheet, else clears the selection. */
export function escape(): void {
  const layout = useLayoutStore.getState();
  if (layout.shortcutsOpen) return layout.setShortcutsOpen(false);
  if (layout.expanded) return layout.collapse();
  useSelectionStore.getState().clear();
}
