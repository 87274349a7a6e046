/**
 * New / Open / Save / Save As / Templates. In Electron the native dialogs of the host bridge
 * are used and files are paths; in a browser the engine's projects folder is used through
 * `files.*` and the in-app dialogs. Every action that would replace the document asks first
 * when it has unsaved changes.
 */
import type { EngineClient } from '../../engine/client.js';
import { hostBridge } from '../../engine/address.js';
import { documentText, emptyDocument, useDocumentStore } from '../../store/document-store.js';
import { notify } from '../../store/notify-store.js';
import { useSelectionStore } from '../../store/selection-store.js';
import { useViewStore } from '../../store/view-store.js';
import { ask } from './dialog-store.js';
import { baseName, readDocument, suggestedFileName } from './document-io.js';

/** The id of the template opened on first start. */
export const DEFAULT_TEMPLATE = 'mlp-digits';

function failed(what: string, e: unknown): void {
  notify(`${what} failed: ${(e as Error).message}`, 'error');
}

/** Replaces the document with parsed text; reports a bad file instead. Returns whether it loaded. */
export function loadText(text: string, fileName: string | null, opts: { dirty?: boolean } = {}): boolean {
  const r = readDocument(text);
  if (!r.ok) {
    notify(`Cannot open ${fileName ? baseName(fileName) : 'the document'}: ${r.message}`, 'error');
    return false;
  }
  useViewStore.getState().exitReadOnly();
  useSelectionStore.getState().clear();
  useDocumentStore.getState().load(r.doc, fileName, opts);
  return true;
}

/** Saves the document; with `as` (or no file yet) asks for a name. Returns whether it was written. */
export async function saveDocument(engine: EngineClient, as = false): Promise<boolean> {
  const { doc, fileName } = useDocumentStore.getState();
  const text = documentText(doc);
  const host = hostBridge();
  try {
    if (host) {
      const path = await host.saveFile(as ? null : fileName, text, suggestedFileName(doc, fileName));
      if (!path) return false;
      useDocumentStore.getState().markSaved(path);
      notify(`Saved ${baseName(path)}`);
      return true;
    }
    let name = as ? null : fileName;
    if (!name) {
      const listed = await engine.call('files.list', {});
      name = await ask({ kind: 'save-as', suggested: suggestedFileName(doc, fileName), existing: listed.files.map((f) => f.name) });
      if (!name) return false;
    }
    await engine.call('files.write', { name, text });
    // Edits made while the write was in flight keep the document dirty.
    if (useDocumentStore.getState().doc === doc) useDocumentStore.getState().markSaved(name);
    notify(`Saved ${name}`);
    return true;
  } catch (e) {
    failed('Save', e);
    return false;
  }
}

/** Asks what to do with unsaved changes before `action`; true when it may go ahead. */
export async function confirmDiscard(engine: EngineClient, action: string): Promise<boolean> {
  const { dirty, fileName, doc } = useDocumentStore.getState();
  if (!dirty) return true;
  const choice = await ask({ kind: 'unsaved', name: fileName ? baseName(fileName) : doc.name || 'untitled', action });
  if (choice === 'discard') return true;
  if (choice === 'save') return saveDocument(engine);
  return false;
}

/** File > New. */
export async function newDocument(engine: EngineClient): Promise<void> {
  if (!(await confirmDiscard(engine, 'starting a new graph'))) return;
  useViewStore.getState().exitReadOnly();
  useSelectionStore.getState().clear();
  useDocumentStore.getState().load(emptyDocument(), null);
}

/** File > Open. */
export async function openDocument(engine: EngineClient): Promise<void> {
  if (!(await confirmDiscard(engine, 'opening another file'))) return;
  const host = hostBridge();
  try {
    if (host) {
      const file = await host.openFile();
      if (file) loadText(file.text, file.path);
      return;
    }
    const listed = await engine.call('files.list', {});
    const name = await ask({ kind: 'open', dir: listed.dir, files: listed.files });
    if (!name) return;
    const file = await engine.call('files.read', { name });
    loadText(file.text, file.name);
  } catch (e) {
    failed('Open', e);
  }
}

/** Opens template `id` as a new, unsaved document. Returns whether it loaded. */
export async function openTemplateById(engine: EngineClient, id: string): Promise<boolean> {
  const templates = await engine.call('examples.list', {});
  const t = templates.find((x) => x.id === id);
  return t ? loadText(t.text, null) : false;
}

/** File > Templates. */
export async function chooseTemplate(engine: EngineClient): Promise<void> {
  try {
    const templates = await engine.call('examples.list', {});
    const id = await ask({ kind: 'templates', templates: templates.map(({ id, name, description }) => ({ id, name, description })) });
    if (!id || !(await confirmDiscard(engine, 'opening a template'))) return;
    const t = templates.find((x) => x.id === id);
    if (t) loadText(t.text, null);
  } catch (e) {
    failed('Templates', e);
  }
}
