/**
 * Start-up and the document's life in the window: recovery of unsaved work, the default
 * template, autosave, the unsaved-changes warning on leaving (web mode) and the document
 * state Electron's main process needs (dirty, title).
 */
import type { EngineClient } from '../../engine/client.js';
import { hostBridge } from '../../engine/address.js';
import { useDocumentStore } from '../../store/document-store.js';
import { notify } from '../../store/notify-store.js';
import { clearAutosave, readAutosave, startAutosave } from './autosave.js';
import { ask } from './dialog-store.js';
import { baseName } from './document-io.js';
import { DEFAULT_TEMPLATE, loadText, openTemplateById } from './file-actions.js';

let started = false;

/** The window title for the current document. */
export function documentTitle(): string {
  const { fileName, doc, dirty } = useDocumentStore.getState();
  return `${dirty ? '• ' : ''}${fileName ? baseName(fileName) : doc.name || 'untitled'} — Layerloom`;
}

function watchDocument(): void {
  const stopAutosave = startAutosave(useDocumentStore);
  window.addEventListener('pagehide', stopAutosave);
  const host = hostBridge();
  const publish = () => {
    document.title = documentTitle();
    host?.setDocumentState({ dirty: useDocumentStore.getState().dirty, title: documentTitle() });
  };
  publish();
  useDocumentStore.subscribe((s, prev) => {
    if (s.dirty !== prev.dirty || s.fileName !== prev.fileName || s.doc.name !== prev.doc.name) publish();
  });
  if (!host) {
    window.addEventListener('beforeunload', (e) => {
      if (!useDocumentStore.getState().dirty) return;
      e.preventDefault();
      e.returnValue = '';
    });
  }
}

/** Runs once per window: offers recovery, else opens the default template; then keeps watch. */
export async function startSession(engine: EngineClient): Promise<void> {
  if (started) return;
  started = true;
  const rec = readAutosave();
  if (rec) {
    const name = rec.name || (rec.fileName ? baseName(rec.fileName) : 'untitled');
    const choice = await ask({ kind: 'recover', name, savedAt: rec.savedAt });
    if (choice === 'recover' && loadText(rec.text, rec.fileName, { dirty: true })) return watchDocument();
    clearAutosave();
  }
  try {
    await openTemplateById(engine, DEFAULT_TEMPLATE);
  } catch (e) {
    notify(`Could not load the ${DEFAULT_TEMPLATE} template: ${(e as Error).message}`, 'error');
  }
  watchDocument();
}
