/**
 * Crash recovery: every change of an unsaved document is written (debounced) to local
 * storage; saving or loading a clean document removes it. At start-up a record that is
 * still there is unsaved work from a session that ended without saving.
 */
import type { StoreApi } from 'zustand';
import { documentText, type DocumentState } from '../../store/document-store.js';

/** What is kept in local storage. */
export interface AutosaveRecord {
  text: string;
  fileName: string | null;
  /** Document name, for the recovery prompt. */
  name: string;
  /** Epoch milliseconds of the write. */
  savedAt: number;
}

/** The local-storage key. */
export const AUTOSAVE_KEY = 'layerloom:autosave';

type KeyValue = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

function defaultStorage(): KeyValue | undefined {
  try {
    return typeof localStorage === 'undefined' ? undefined : localStorage;
  } catch {
    return undefined;
  }
}

/** The unsaved work of an earlier session, if any. */
export function readAutosave(storage = defaultStorage()): AutosaveRecord | null {
  try {
    const raw = storage?.getItem(AUTOSAVE_KEY);
    if (!raw) return null;
    const rec = JSON.parse(raw) as AutosaveRecord;
    return typeof rec.text === 'string' && typeof rec.savedAt === 'number' ? rec : null;
  } catch {
    return null;
  }
}

/** Forgets the unsaved work. */
export function clearAutosave(storage = defaultStorage()): void {
  storage?.removeItem(AUTOSAVE_KEY);
}

/**
 * Starts writing the document after each change (at most every `delayMs`) while it is dirty
 * and removing the record once it is clean. Returns a stop function (which writes a pending
 * change first, as the page is about to go away).
 */
export function startAutosave(store: StoreApi<DocumentState>, opts: { storage?: KeyValue; delayMs?: number; now?: () => number } = {}): () => void {
  const storage = opts.storage ?? defaultStorage();
  const delay = opts.delayMs ?? 400;
  const now = opts.now ?? Date.now;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const write = () => {
    timer = null;
    const s = store.getState();
    if (!s.dirty) return;
    const rec: AutosaveRecord = { text: documentText(s.doc), fileName: s.fileName, name: s.doc.name ?? '', savedAt: now() };
    try {
      storage?.setItem(AUTOSAVE_KEY, JSON.stringify(rec));
    } catch {
      // Storage full or disabled: recovery is best effort.
    }
  };
  const unsubscribe = store.subscribe((s, prev) => {
    if (s.revision === prev.revision && s.dirty === prev.dirty) return;
    if (s.dirty) {
      timer ??= setTimeout(write, delay);
    } else {
      if (timer) clearTimeout(timer);
      timer = null;
      clearAutosave(storage);
    }
  });
  return () => {
    unsubscribe();
    if (timer) {
      clearTimeout(timer);
      write();
    }
  };
}
