import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { emptyDocument, useDocumentStore } from '../../store/document-store.js';
import { addNode } from '../../store/commands/add-node.js';
import { readAutosave, startAutosave } from './autosave.js';
import { projectNameProblem, readDocument, suggestedFileName, withLoomSuffix } from './document-io.js';

function memoryStorage() {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), removeItem: (k: string) => void m.delete(k) };
}

describe('document io', () => {
  it('reads documents, fills in edge ids and reports the engine message for bad text', () => {
    const r = readDocument('{"version":1,"nodes":[{"id":"x","kind":"Input","params":{"shape":[2]}}],"edges":[{"source":"x","target":"y"}]}');
    expect(r.ok && r.doc.edges[0].id).toBe('e_x_y');
    expect(readDocument('{"version": 2, "nodes": [], "edges": []}')).toEqual({
      ok: false,
      message: 'version 2 was written by a newer Layerloom; this one reads up to version 1',
    });
    expect(readDocument('{').ok).toBe(false);
  });

  it('proposes and checks file names', () => {
    expect(withLoomSuffix('cnn')).toBe('cnn.loom.json');
    expect(withLoomSuffix('cnn.json')).toBe('cnn.loom.json');
    expect(withLoomSuffix('cnn.loom.json')).toBe('cnn.loom.json');
    expect(projectNameProblem('a/b.loom.json')).toMatch(/without folders/);
    expect(projectNameProblem('ok.loom.json')).toBeNull();
    expect(suggestedFileName({ ...emptyDocument(), name: 'My net!' }, null)).toBe('My-net.loom.json');
    expect(suggestedFileName(emptyDocument(), '/home/u/x.loom.json')).toBe('x.loom.json');
  });
});

describe('autosave', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    useDocumentStore.getState().load(emptyDocument('draft'), null);
  });
  afterEach(() => vi.useRealTimers());

  it('keeps unsaved work after a debounce and forgets it once saved', () => {
    const storage = memoryStorage();
    const stop = startAutosave(useDocumentStore, { storage, delayMs: 100, now: () => 42 });
    useDocumentStore.getState().run(addNode({ id: 'input_1', kind: 'Input', params: { shape: [4] }, position: { x: 0, y: 0 } }));
    expect(readAutosave(storage)).toBeNull();
    vi.advanceTimersByTime(150);
    const rec = readAutosave(storage)!;
    expect(rec).toMatchObject({ fileName: null, name: 'draft', savedAt: 42 });
    expect(JSON.parse(rec.text).nodes[0].id).toBe('input_1');
    useDocumentStore.getState().markSaved('draft.loom.json');
    expect(readAutosave(storage)).toBeNull();
    stop();
  });

  it('writes a pending change when stopped (the page is closing)', () => {
    const storage = memoryStorage();
    const stop = startAutosave(useDocumentStore, { storage, delayMs: 10_000 });
    useDocumentStore.getState().run(addNode({ id: 'input_1', kind: 'Input', params: { shape: [4] }, position: { x: 0, y: 0 } }));
    stop();
    expect(readAutosave(storage)).not.toBeNull();
  });
});
