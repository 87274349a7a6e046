import { describe, expect, it } from 'vitest';
import { analyzeDocument } from '../../../../engine/graph/analyze.js';
import { deleteElements } from './delete.js';
import { cnnDoc, makeDoc } from './test-docs.js';

const pairs = (d: { edges: { source: string; target: string }[] }) => d.edges.map((e) => `${e.source}->${e.target}`);

describe('deleteElements', () => {
  it('splices a node out of a chain, so removing Flatten shows the Dense rank error', () => {
    const next = deleteElements(['flatten_1']).apply(cnnDoc());
    expect(next.nodes.map((n) => n.id)).toEqual(['input_1', 'conv2d_1', 'dense_1', 'output_1']);
    expect(pairs(next)).toEqual(['input_1->conv2d_1', 'dense_1->output_1', 'conv2d_1->dense_1']);
    expect(next.edges[2].id).toBe('e_conv2d_1_dense_1');
    expect(analyzeDocument(next).nodes.get('dense_1')?.error).toBe('node "dense_1": Dense expects rank 2 or 3, got [null,26,26,32]: add Flatten before it');
  });

  it('splices through several deleted nodes and to every consumer', () => {
    const doc = makeDoc(
      [
        ['x', 'Input', { shape: [4] }],
        ['a', 'Dense', { units: 4 }],
        ['b', 'Dense', { units: 4 }],
        ['c', 'Dense', { units: 4 }],
        ['d', 'Dense', { units: 4 }],
      ],
      [
        ['x', 'a'],
        ['a', 'b'],
        ['b', 'c'],
        ['b', 'd'],
      ],
    );
    expect(pairs(deleteElements(['a', 'b']).apply(doc))).toEqual(['x->c', 'x->d']);
  });

  it('does not splice merges, deliberately deleted edges, or into an occupied port', () => {
    const doc = makeDoc(
      [
        ['x', 'Input', { shape: [4] }],
        ['y', 'Input', { shape: [4] }],
        ['add', 'Add', {}],
        ['d', 'Dense', { units: 4 }],
      ],
      [
        ['x', 'add'],
        ['y', 'add'],
        ['add', 'd'],
      ],
    );
    expect(pairs(deleteElements(['add']).apply(doc))).toEqual([]);
    const chain = cnnDoc();
    expect(pairs(deleteElements(['flatten_1'], ['e_flatten_1_dense_1']).apply(chain))).toEqual(['input_1->conv2d_1', 'dense_1->output_1']);
  });

  it('deletes edges alone and returns the same document when nothing matches', () => {
    const doc = cnnDoc();
    expect(pairs(deleteElements([], ['e_dense_1_output_1']).apply(doc))).toHaveLength(3);
    expect(deleteElements(['nope'], ['nope']).apply(doc)).toBe(doc);
  });
});
