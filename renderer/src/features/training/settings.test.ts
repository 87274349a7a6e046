import { describe, expect, it } from 'vitest';
import type { LoomDocument } from '../../../../engine/graph/schema.js';
import { useDocumentStore } from '../../store/document-store.js';
import { joinSpec, needsFiles, outputNode, patchTraining, setTrainingCommand, splitSpec, trainingOf } from './settings.js';

const doc: LoomDocument = {
  version: 1,
  name: 'd',
  nodes: [{ id: 'y', kind: 'Output', params: { loss: 'meanSquaredError' }, position: { x: 0, y: 0 } }],
  edges: [],
};

describe('training settings', () => {
  it('reads defaults, and validates a patch before it is stored', () => {
    const t = trainingOf(doc);
    expect(t).toMatchObject({ epochs: 10, batchSize: 32, optimizer: { name: 'adam' } });
    const ok = patchTraining(t, { epochs: 3, dataset: 'digits' });
    expect(ok.ok && ok.training).toMatchObject({ epochs: 3, dataset: 'digits' });
    const bad = patchTraining(t, { batchSize: 0 });
    expect(bad).toMatchObject({ ok: false, field: 'batchSize' });
    const badLr = patchTraining(t, { optimizer: { ...t.optimizer, learningRate: -1 } });
    expect(badLr).toMatchObject({ ok: false, field: 'optimizer.learningRate' });
    expect(outputNode(doc)?.id).toBe('y');
  });

  it('writes the section through one undoable command that coalesces typing', () => {
    const store = useDocumentStore.getState();
    store.load(doc, null);
    const t = trainingOf(doc);
    useDocumentStore.getState().run(setTrainingCommand({ ...t, epochs: 5 }));
    useDocumentStore.getState().run(setTrainingCommand({ ...t, epochs: 50 }));
    const s = useDocumentStore.getState();
    expect(s.doc.training?.epochs).toBe(50);
    expect(s.dirty).toBe(true);
    expect(s.past.map((p) => p.label)).toEqual(['Change training settings']);
    s.undo();
    expect(useDocumentStore.getState().doc.training).toBeUndefined();
    // Setting what is already there changes nothing.
    const before = useDocumentStore.getState().revision;
    useDocumentStore.getState().run(setTrainingCommand(trainingOf(useDocumentStore.getState().doc)));
    expect(useDocumentStore.getState().revision).toBe(before + 1);
    useDocumentStore.getState().run(setTrainingCommand(useDocumentStore.getState().doc.training!));
    expect(useDocumentStore.getState().revision).toBe(before + 1);
  });

  it('splits and joins dataset specs', () => {
    expect(splitSpec('csv:/a/b.csv')).toEqual({ kind: 'csv', body: '/a/b.csv' });
    expect(splitSpec('digits')).toEqual({ kind: 'digits', body: '' });
    expect(splitSpec(undefined)).toEqual({ kind: '', body: '' });
    expect(joinSpec('idx', ' a.gz , b.gz ,')).toBe('idx:a.gz,b.gz');
    expect(joinSpec('spirals', '')).toBe('spirals');
    expect(needsFiles('images')).toBe(true);
    expect(needsFiles('mnist')).toBe(false);
  });
});
