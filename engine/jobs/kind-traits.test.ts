// The kind traits the jobs read (engine/layers/types.ts): what tf.js cannot train, and how
// closely an export must match. A new kind states its own; these lists live nowhere else.
import { describe, expect, it } from 'vitest';
import { loadGraphFromText } from '../graph/load.js';
import { layers } from '../layers/index.js';
import { verifyTolerance } from './export-job.js';
import { tfjsTrainingGaps } from './tfjs-gaps.js';

const chain = (nodes: { id: string; kind: string; params: Record<string, unknown> }[]) =>
  loadGraphFromText(JSON.stringify({ version: 1, nodes, edges: nodes.slice(1).map((n, i) => ({ source: nodes[i].id, target: n.id })) }));

describe('kind traits', () => {
  it('tf.js gaps come from each kind: dilated convs and BatchNorm/LayerNorm without center or scale', () => {
    const g = chain([
      { id: 'x', kind: 'Input', params: { shape: [12, 12, 1] } },
      { id: 'c', kind: 'Conv2D', params: { filters: 2, kernelSize: 3, dilation: 2 } },
      { id: 'plain', kind: 'Conv2D', params: { filters: 2, kernelSize: 3 } },
      { id: 'bn', kind: 'BatchNorm', params: { center: false } },
      { id: 'ln', kind: 'LayerNorm', params: {} },
      { id: 'f', kind: 'Flatten', params: {} },
      { id: 'y', kind: 'Output', params: { loss: 'meanSquaredError' } },
    ]);
    expect(tfjsTrainingGaps(g)).toEqual([
      { node: 'c', why: 'Conv2D with dilation > 1 has no gradient in tf.js' },
      { node: 'bn', why: 'BatchNorm with center or scale off crashes tf.js training' },
    ]);
  });

  it('export tolerance is 1e-4 unless a recurrent kind asks for 1e-3', () => {
    const dense = chain([
      { id: 'x', kind: 'Input', params: { shape: [4] } },
      { id: 'd', kind: 'Dense', params: { units: 2 } },
      { id: 'y', kind: 'Output', params: { loss: 'meanSquaredError' } },
    ]);
    const lstm = chain([
      { id: 'x', kind: 'Input', params: { shape: [5, 3] } },
      { id: 'r', kind: 'LSTM', params: { units: 4 } },
      { id: 'y', kind: 'Output', params: { loss: 'meanSquaredError' } },
    ]);
    expect(verifyTolerance(dense)).toBe(1e-4);
    expect(verifyTolerance(lstm)).toBe(1e-3);
    const tolerant = Object.values(layers)
      .filter((d) => d.exportTolerance !== undefined)
      .map((d) => d.kind);
    expect(tolerant.sort()).toEqual(['GRU', 'LSTM', 'SimpleRNN']);
  });

  it('only Add and Concatenate collapse to their one input in a materialized search candidate', () => {
    const merges = Object.values(layers)
      .filter((d) => d.collapsesWithOneInput)
      .map((d) => d.kind);
    expect(merges.sort()).toEqual(['Add', 'Concatenate']);
  });
});
