import { beforeEach, describe, expect, it } from 'vitest';
import { deleteElements } from './commands/delete.js';
import { cnnDoc } from './commands/test-docs.js';
import { emptyDocument, useDocumentStore } from './document-store.js';
import { perform, redo, undo } from './edit.js';
import { useNotifyStore } from './notify-store.js';
import { applySelect, pruneSelection, useSelectionStore } from './selection-store.js';
import { useViewStore } from './view-store.js';

describe('the edit gate', () => {
  beforeEach(() => {
    useViewStore.getState().exitReadOnly();
    useDocumentStore.getState().load(cnnDoc(), null);
    useNotifyStore.setState({ toasts: [] });
  });

  it('runs commands on the editable document', () => {
    expect(perform(deleteElements(['flatten_1']))).toBe(true);
    expect(useDocumentStore.getState().doc.nodes).toHaveLength(4);
    undo();
    expect(useDocumentStore.getState().doc.nodes).toHaveLength(5);
    redo();
    expect(useDocumentStore.getState().doc.nodes).toHaveLength(4);
  });

  it('refuses edits, undo and redo while a read-only graph is shown, leaving the document and history alone', () => {
    const before = useDocumentStore.getState();
    useViewStore.getState().showReadOnly({ doc: emptyDocument('run'), title: 'Run r1 (as trained)' });
    expect(perform(deleteElements(['flatten_1']))).toBe(false);
    undo();
    expect(useDocumentStore.getState().doc).toBe(before.doc);
    expect(useDocumentStore.getState().past).toBe(before.past);
    expect(useNotifyStore.getState().toasts.map((t) => t.kind)).toEqual(['error', 'error']);
    useViewStore.getState().exitReadOnly();
    expect(perform(deleteElements(['flatten_1']))).toBe(true);
  });
});

describe('selection', () => {
  it('applies select changes and keeps the same set when nothing changes', () => {
    const s = new Set(['a']);
    expect(applySelect(s, [{ id: 'a', selected: true }])).toBe(s);
    expect([
      ...applySelect(s, [
        { id: 'a', selected: false },
        { id: 'b', selected: true },
      ]),
    ]).toEqual(['b']);
  });

  it('prunes ids that left the graph (an undone paste must not stay selected)', () => {
    useSelectionStore.getState().select(['a', 'gone'], ['e1', 'e_gone']);
    pruneSelection(['a', 'b'], ['e1', undefined]);
    expect([...useSelectionStore.getState().nodes]).toEqual(['a']);
    expect([...useSelectionStore.getState().edges]).toEqual(['e1']);
  });
});
