import { beforeEach, describe, expect, it } from 'vitest';
import { analyzeDocument } from '../../../../engine/graph/analyze.js';
import { nodeIdSchema } from '../../../../engine/graph/schema.js';
import { fragmentFromText, fragmentText } from '../clipboard.js';
import { emptyDocument, useDocumentStore } from '../document-store.js';
import { addNode } from './add-node.js';
import { connect } from './connect.js';
import { deleteElements } from './delete.js';
import { newEdgeId, newNodeId, withEdgeIds } from './ids.js';
import { moveNodes } from './move.js';
import { copyFragment, pasteFragment } from './paste.js';
import { renameNode, renameProblem, setLabel, setParam } from './set-param.js';
import { cnnDoc } from './test-docs.js';

describe('ids', () => {
  it('makes readable node ids that the engine accepts', () => {
    const doc = cnnDoc();
    expect(newNodeId(doc, 'Conv2D')).toBe('conv2d_2');
    expect(newNodeId(doc, 'MaxPool2D')).toBe('maxpool2d_1');
    for (const kind of ['Conv2DTranspose', 'BatchNorm', 'GRU']) expect(nodeIdSchema.safeParse(newNodeId(doc, kind)).success).toBe(true);
    expect(newEdgeId('a', 'b', new Set(['e_a_b', 'e_a_b_2']))).toBe('e_a_b_3');
  });

  it('gives edges without ids (or with duplicate ids) unique ones, leaving complete documents alone', () => {
    const doc = cnnDoc();
    expect(withEdgeIds(doc)).toBe(doc);
    const bare = { ...doc, edges: doc.edges.map(({ id: _id, ...e }, i) => (i === 1 ? { ...e, id: 'e_input_1_conv2d_1' } : e)) };
    const ids = withEdgeIds(bare).edges.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids[1]).toBe('e_input_1_conv2d_1');
  });
});

describe('edit commands', () => {
  it('add, move, set-param, label and rename return new documents without touching the old', () => {
    const doc = cnnDoc();
    const frozen = JSON.stringify(doc);
    const added = addNode({ id: 'dropout_1', kind: 'Dropout', params: { rate: 0.2 }, position: { x: 5, y: 6 } }).apply(doc);
    expect(added.nodes.at(-1)).toEqual({ id: 'dropout_1', kind: 'Dropout', params: { rate: 0.2 }, position: { x: 5, y: 6 } });
    const moved = moveNodes({ conv2d_1: { x: 10, y: 20 } }).apply(doc);
    expect(moved.nodes[1].position).toEqual({ x: 10, y: 20 });
    expect(moved.nodes[1].params).toBe(doc.nodes[1].params);
    expect(moved.edges).toBe(doc.edges);
    expect(moveNodes({ conv2d_1: doc.nodes[1].position }).apply(doc)).toBe(doc);
    const set = setParam('conv2d_1', 'filters', 0).apply(doc);
    expect(set.nodes[1].params.filters).toBe(0);
    expect(analyzeDocument(set).nodes.get('conv2d_1')?.error).toMatch(/^node "conv2d_1": params.filters: Too small/);
    expect(setParam('conv2d_1', 'kernelSize', undefined).apply(setParam('conv2d_1', 'kernelSize', 5).apply(doc)).nodes[1].params).toEqual({ filters: 32 });
    expect(setLabel('dense_1', 'classifier').apply(doc).nodes[3].label).toBe('classifier');
    const renamed = renameNode('dense_1', 'logits').apply(doc);
    expect(renamed.edges.map((e) => `${e.source}->${e.target}`)).toContain('logits->output_1');
    expect(renameProblem(doc, 'dense_1', 'conv2d_1')).toBe('"conv2d_1" is already used');
    expect(renameProblem(doc, 'dense_1', '_bad')).toMatch(/must start with a letter/);
    expect(renameNode('dense_1', 'conv2d_1').apply(doc)).toBe(doc);
    expect(JSON.stringify(doc)).toBe(frozen);
  });

  it('copy + paste duplicates nodes and their inner edges under fresh ids', () => {
    const doc = cnnDoc();
    const fragment = copyFragment(doc, ['conv2d_1', 'flatten_1']);
    expect(fragment.edges).toHaveLength(1);
    const { command, ids } = pasteFragment(doc, fragment, { x: 40, y: 40 });
    expect(ids).toEqual(['conv2d_2', 'flatten_2']);
    const next = command.apply(doc);
    expect(next.nodes.slice(-2).map((n) => [n.id, n.position])).toEqual([
      ['conv2d_2', { x: 40, y: 140 }],
      ['flatten_2', { x: 40, y: 240 }],
    ]);
    expect(next.edges.at(-1)).toMatchObject({ id: 'e_conv2d_2_flatten_2', source: 'conv2d_2', target: 'flatten_2' });
  });

  it('round-trips a fragment through clipboard text and ignores other text', () => {
    const fragment = copyFragment(cnnDoc(), ['conv2d_1', 'flatten_1']);
    expect(fragmentFromText(fragmentText(fragment))).toEqual(fragment);
    expect(fragmentFromText('hello')).toBeNull();
    expect(fragmentFromText('{"layerloomFragment":1,"nodes":[],"edges":[]}')).toBeNull();
  });
});

describe('undo / redo through the document store', () => {
  beforeEach(() => useDocumentStore.getState().load(emptyDocument(), null));

  it('undoes and redoes named commands, and coalesces typing into one step', () => {
    const store = useDocumentStore;
    store.getState().load(cnnDoc(), 'cnn.loom.json');
    const start = store.getState().doc;
    store.getState().run(deleteElements(['flatten_1']));
    expect(store.getState().dirty).toBe(true);
    expect(analyzeDocument(store.getState().doc).nodes.get('dense_1')?.error).toMatch(/Dense expects rank 2 or 3/);
    store.getState().undo();
    expect(store.getState().doc).toBe(start);
    store.getState().redo();
    expect(store.getState().doc.nodes).toHaveLength(4);
    store.getState().undo();
    for (const v of [1, 12, 128]) store.getState().run(setParam('dense_1', 'units', v));
    expect(store.getState().past).toHaveLength(1);
    store.getState().undo();
    expect(store.getState().doc).toBe(start);
  });

  it('a refused connection is not an undo step', () => {
    const store = useDocumentStore;
    store.getState().load(cnnDoc(), null);
    store.getState().run(connect({ source: 'dense_1', target: 'conv2d_1' }));
    expect(store.getState().past).toHaveLength(0);
    expect(store.getState().dirty).toBe(false);
  });
});
