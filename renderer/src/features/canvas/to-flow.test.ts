import { describe, expect, it } from 'vitest';
import { analysisOf, sameStructure } from '../../store/analysis.js';
import { moveNodes } from '../../store/commands/move.js';
import { setParam } from '../../store/commands/set-param.js';
import { cnnDoc } from '../../store/commands/test-docs.js';
import { formatFlops, keyParams } from './node-summary.js';
import { flowInputs } from './flow-fixtures.js';
import { EdgeCache, NodeCache, type NodeInputs } from './to-flow.js';

const none = new Set<string>();
const inputs = (doc = cnnDoc(), extra: Partial<NodeInputs> = {}): NodeInputs => flowInputs(doc, extra);

describe('document -> React Flow', () => {
  it('shows kind, key params, shapes and the node error', () => {
    const doc = setParam('conv2d_1', 'filters', 0).apply(cnnDoc());
    const nodes = new NodeCache().nodes(inputs(doc));
    expect(nodes[1].data).toMatchObject({ kind: 'Conv2D', title: 'conv2d_1', summary: 'filters 0', shape: null });
    expect(nodes[1].data.error).toMatch(/^params.filters: Too small/);
    expect(nodes[2].data.blocked).toBe(true);
    const ok = new NodeCache().nodes(inputs());
    expect(ok[1].data).toMatchObject({ shape: '[null,26,26,32]', error: null, params: 320 });
    const edges = new EdgeCache().edges({ doc: cnnDoc(), analysis: analysisOf(cnnDoc()), selected: none, heat: {}, highlight: none });
    expect(edges.map((e) => [e.id, e.data?.shape])).toEqual([
      ['e_input_1_conv2d_1', '[null,28,28,1]'],
      ['e_conv2d_1_flatten_1', '[null,26,26,32]'],
      ['e_flatten_1_dense_1', '[null,21632]'],
      ['e_dense_1_output_1', '[null,10]'],
    ]);
  });

  it('reuses every object but the moved node when only a position changes, and the analysis too', () => {
    const doc = cnnDoc();
    const cache = new NodeCache();
    const before = cache.nodes(inputs(doc));
    const moved = moveNodes({ dense_1: { x: 7, y: 8 } }).apply(doc);
    expect(sameStructure(doc, moved)).toBe(true);
    expect(analysisOf(moved)).toBe(analysisOf(doc));
    const after = cache.nodes(inputs(moved));
    expect(after.filter((n, i) => n !== before[i]).map((n) => n.id)).toEqual(['dense_1']);
    expect(after[3].data).toBe(before[3].data);
    const dragging = cache.nodes(inputs(moved, { drag: new Map([['conv2d_1', { x: 1, y: 2 }]]) }));
    expect(dragging.filter((n, i) => n !== after[i]).map((n) => [n.id, n.dragging])).toEqual([['conv2d_1', true]]);
  });

  it('carries heat, highlight and selection', () => {
    const nodes = new NodeCache().nodes(
      inputs(cnnDoc(), { heat: { dense_1: 1.7, conv2d_1: 0.25 }, highlight: new Set(['flatten_1']), selected: new Set(['input_1']) }),
    );
    expect(nodes.map((n) => [n.data.heat, n.data.highlighted, n.selected])).toEqual([
      [null, false, true],
      [0.25, false, false],
      [null, true, false],
      [1, false, false],
      [null, false, false],
    ]);
    const edges = new EdgeCache().edges({
      doc: cnnDoc(),
      analysis: analysisOf(cnnDoc()),
      selected: none,
      heat: { e_dense_1_output_1: 0.5 },
      highlight: new Set(['e_input_1_conv2d_1']),
    });
    expect(edges.map((e) => [e.data?.heat, e.data?.highlighted])).toEqual([
      [null, true],
      [null, false],
      [null, false],
      [0.5, false],
    ]);
  });

  it('summarizes params and FLOPs', () => {
    expect(keyParams('Conv2D', { filters: 32, kernelSize: [3, 5], activation: 'relu', useBias: false })).toBe('filters 32 · kernelSize 3×5 · relu');
    expect(keyParams('Input', { shape: [null, 4] })).toBe('shape ?×4');
    expect(formatFlops(1_234_567)).toBe('1.2 M');
    expect(formatFlops(950)).toBe('950');
  });
});
