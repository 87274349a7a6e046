/**
 * Every user command of the window as a named action (Excalidraw's actions): the toolbar,
 * keyboard shortcuts and Electron's menus all run these, so each command has one
 * implementation whichever way it is invoked.
 */
import type { MenuCommand } from '../../../electron/host-api.js';
import type { EngineClient } from '../engine/client.js';
import { redo, undo } from '../store/edit.js';
import { chooseTemplate, newDocument, openDocument, saveDocument } from '../features/files/file-actions.js';
import { emitAppCommand } from './app-commands.js';
import { copySelection, cutSelection, deleteSelection, duplicateSelection, pasteClipboard, selectAll } from './edit-actions.js';
import { escape, focusInspector, groupSelection, stepSelectionBy } from './keyboard-actions.js';
import { useLayoutStore } from './layout-store.js';

/** One action. */
export interface Action {
  name: ActionName;
  label: string;
  /** The shortcut as shown in tooltips, e.g. `Ctrl+Z`. */
  shortcut?: string;
  /** Whether a key event triggers it. */
  keyTest?: (e: KeyboardEvent) => boolean;
  /** Also while typing in a field (file commands). */
  inFields?: boolean;
  perform(): void;
}

export type ActionName =
  | 'new'
  | 'open'
  | 'save'
  | 'saveAs'
  | 'templates'
  | 'undo'
  | 'redo'
  | 'delete'
  | 'copy'
  | 'cut'
  | 'paste'
  | 'duplicate'
  | 'selectAll'
  | 'autoLayout'
  | 'zoomIn'
  | 'zoomOut'
  | 'zoomFit'
  | 'exportOnnx'
  | 'quickAdd'
  | 'selectUp'
  | 'selectDown'
  | 'selectLeft'
  | 'selectRight'
  | 'editParams'
  | 'groupRepeat'
  | 'groupChoice'
  | 'expandDashboard'
  | 'escape'
  | 'shortcuts';

const mod = (e: KeyboardEvent) => e.ctrlKey || e.metaKey;
const key = (e: KeyboardEvent) => e.key.toLowerCase();
const modKey =
  (k: string, shift = false) =>
  (e: KeyboardEvent) =>
    mod(e) && !e.altKey && e.shiftKey === shift && key(e) === k;
const plain =
  (...keys: string[]) =>
  (e: KeyboardEvent) =>
    !mod(e) && !e.altKey && keys.includes(e.key);

/** Builds the actions of the window. */
export function createActions(engine: EngineClient): Record<ActionName, Action> {
  const list: Action[] = [
    {
      name: 'new',
      label: 'New',
      shortcut: 'Ctrl+Alt+N',
      keyTest: (e) => mod(e) && e.altKey && key(e) === 'n',
      inFields: true,
      perform: () => void newDocument(engine),
    },
    { name: 'open', label: 'Open…', shortcut: 'Ctrl+O', keyTest: modKey('o'), inFields: true, perform: () => void openDocument(engine) },
    { name: 'save', label: 'Save', shortcut: 'Ctrl+S', keyTest: modKey('s'), inFields: true, perform: () => void saveDocument(engine) },
    { name: 'saveAs', label: 'Save As…', shortcut: 'Ctrl+Shift+S', keyTest: modKey('s', true), inFields: true, perform: () => void saveDocument(engine, true) },
    { name: 'templates', label: 'Templates…', perform: () => void chooseTemplate(engine) },
    { name: 'undo', label: 'Undo', shortcut: 'Ctrl+Z', keyTest: modKey('z'), perform: undo },
    { name: 'redo', label: 'Redo', shortcut: 'Ctrl+Shift+Z', keyTest: (e) => modKey('z', true)(e) || modKey('y')(e), perform: redo },
    { name: 'delete', label: 'Delete', shortcut: 'Delete', keyTest: plain('Delete', 'Backspace'), perform: deleteSelection },
    { name: 'copy', label: 'Copy', shortcut: 'Ctrl+C', perform: copySelection },
    { name: 'cut', label: 'Cut', shortcut: 'Ctrl+X', perform: cutSelection },
    { name: 'paste', label: 'Paste', shortcut: 'Ctrl+V', perform: () => pasteClipboard() },
    { name: 'duplicate', label: 'Duplicate', shortcut: 'Ctrl+D', keyTest: modKey('d'), perform: duplicateSelection },
    { name: 'selectAll', label: 'Select all', shortcut: 'Ctrl+A', keyTest: modKey('a'), perform: selectAll },
    { name: 'autoLayout', label: 'Auto-layout', shortcut: 'Ctrl+Shift+L', keyTest: modKey('l', true), perform: () => emitAppCommand('auto-layout') },
    {
      name: 'zoomIn',
      label: 'Zoom in',
      shortcut: 'Ctrl+=',
      keyTest: (e) => mod(e) && (e.key === '=' || e.key === '+'),
      perform: () => emitAppCommand('zoom-in'),
    },
    { name: 'zoomOut', label: 'Zoom out', shortcut: 'Ctrl+-', keyTest: (e) => mod(e) && e.key === '-', perform: () => emitAppCommand('zoom-out') },
    {
      name: 'zoomFit',
      label: 'Zoom to fit',
      shortcut: 'Shift+1',
      keyTest: (e) => e.shiftKey && !mod(e) && (e.key === '!' || e.code === 'Digit1'),
      perform: () => emitAppCommand('zoom-fit'),
    },
    { name: 'exportOnnx', label: 'Export ONNX…', perform: () => emitAppCommand('export-onnx') },
    { name: 'quickAdd', label: 'Quick add a layer…', shortcut: '/', keyTest: plain('/'), perform: () => useLayoutStore.getState().openQuickAdd() },
    { name: 'selectUp', label: 'Select the node above (along an edge)', shortcut: '↑', keyTest: plain('ArrowUp'), perform: () => stepSelectionBy('up') },
    { name: 'selectDown', label: 'Select the node below (along an edge)', shortcut: '↓', keyTest: plain('ArrowDown'), perform: () => stepSelectionBy('down') },
    { name: 'selectLeft', label: 'Select the neighbour on the left', shortcut: '←', keyTest: plain('ArrowLeft'), perform: () => stepSelectionBy('left') },
    { name: 'selectRight', label: 'Select the neighbour on the right', shortcut: '→', keyTest: plain('ArrowRight'), perform: () => stepSelectionBy('right') },
    { name: 'editParams', label: "Edit the selected node's parameters", shortcut: 'Enter', keyTest: plain('Enter'), perform: focusInspector },
    { name: 'groupRepeat', label: 'Group into a Repeat frame', shortcut: 'Ctrl+G', keyTest: modKey('g'), perform: () => groupSelection('Repeat') },
    { name: 'groupChoice', label: 'Group into a Choice frame', shortcut: 'Ctrl+Shift+G', keyTest: modKey('g', true), perform: () => groupSelection('Choice') },
    {
      name: 'expandDashboard',
      label: 'Dashboard full window',
      shortcut: 'Ctrl+Shift+F',
      keyTest: modKey('f', true),
      perform: () => (useLayoutStore.getState().expanded ? useLayoutStore.getState().collapse() : useLayoutStore.getState().expand()),
    },
    { name: 'escape', label: 'Back to the canvas / clear the selection', shortcut: 'Escape', keyTest: plain('Escape'), perform: escape },
    {
      name: 'shortcuts',
      label: 'Keyboard shortcuts',
      shortcut: '?',
      keyTest: (e) => plain('?', 'F1')(e),
      perform: () => useLayoutStore.getState().setShortcutsOpen(true),
    },
  ];
  return Object.fromEntries(list.map((a) => [a.name, a])) as Record<ActionName, Action>;
}

/** The action a native menu command runs. */
export const menuActions: Record<MenuCommand, ActionName> = {
  new: 'new',
  open: 'open',
  save: 'save',
  saveAs: 'saveAs',
  exportOnnx: 'exportOnnx',
  undo: 'undo',
  redo: 'redo',
  zoomIn: 'zoomIn',
  zoomOut: 'zoomOut',
  zoomFit: 'zoomFit',
  shortcuts: 'shortcuts',
  expandDashboard: 'expandDashboard',
};

/** True when the event comes from (or focus is in) a text field, where keys and clipboard belong to the field. */
export function inTextField(e?: Event): boolean {
  const t = (e?.target ?? document.activeElement) as HTMLElement | null;
  return !!t && (t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName));
}

/** True when Enter / Space on the event's target activates it (a focused button, link, checkbox…). */
function activatesTarget(e: KeyboardEvent): boolean {
  if (e.key !== 'Enter' && e.key !== ' ') return false;
  const t = e.target as HTMLElement | null;
  if (!t || typeof t.closest !== 'function') return false;
  return !!t.closest('button, a[href], summary, [role="button"], [role="option"], [role="checkbox"], input');
}

/** The action a key event triggers, if any. */
export function actionForKey(actions: Record<ActionName, Action>, e: KeyboardEvent): Action | undefined {
  if (activatesTarget(e)) return undefined;
  const field = inTextField(e);
  return Object.values(actions).find((a) => a.keyTest?.(e) && (!field || a.inFields));
}
