/**
 * The one gate every canvas, inspector, shortcut and menu edit passes through: refuses edits
 * while a read-only graph is shown, then runs the command through the document store.
 */
import { useDocumentStore, type Command } from './document-store.js';
import { notify } from './notify-store.js';
import { useViewStore } from './view-store.js';

/** True when the canvas shows the editable document. */
export function canEdit(): boolean {
  return useViewStore.getState().readOnly === null;
}

/** Tells the user the shown graph is read-only; returns false. */
export function refuseReadOnly(): false {
  notify('This graph is read-only: choose "Back to design" to edit.', 'error');
  return false;
}

/** Runs a command unless the view is read-only. Returns whether it ran. */
export function perform(command: Command): boolean {
  if (!canEdit()) return refuseReadOnly();
  useDocumentStore.getState().run(command);
  return true;
}

/** Undo, refused while read-only. */
export function undo(): void {
  if (canEdit()) useDocumentStore.getState().undo();
  else refuseReadOnly();
}

/** Redo, refused while read-only. */
export function redo(): void {
  if (canEdit()) useDocumentStore.getState().redo();
  else refuseReadOnly();
}
