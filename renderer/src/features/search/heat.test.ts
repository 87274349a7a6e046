import { describe, expect, it } from 'vitest';
import type { LoomDocument } from '../../../../engine/graph/schema.js';
import { blameHeat, decisionHeat, decisionTargets, failureMarks, probabilityBars, probabilityHeat } from './heat.js';
import type { DecisionInfo } from './types.js';

const decisions: DecisionInfo[] = [
  { name: 'stem.kernelSize', options: [3, 5], kind: 'param', node: 'stem', param: 'kernelSize' },
  { name: 'stem.filters', options: [8, 16], kind: 'param', node: 'stem', param: 'filters' },
  { name: 'skip', options: [false, true], kind: 'edge', edge: '1' },
  { name: 'cell.0-1', options: ['none', 'conv3x3', 'skip'], kind: 'cell', node: 'cell' },
  { name: 'block', options: [0, 1], kind: 'choice', node: 'block' },
];
const doc: LoomDocument = {
  version: 1,
  nodes: [],
  edges: [
    { id: 'e0', source: 'a', sourcePort: 'out', target: 'b', targetPort: 'in' },
    { source: 'a', sourcePort: 'out', target: 'c', targetPort: 'in', optional: true },
  ],
};

describe('search heat on the canvas', () => {
  it('heats an optional edge by the probability it is kept, other decisions by their leading real option', () => {
    expect(decisionHeat({ kind: 'edge' }, { false: 0.3, true: 0.7 })).toBe(0.7);
    expect(decisionHeat({ kind: 'param' }, { '3': 0.5, '5': 0.5 })).toBe(0.5);
    // A cell edge the search is removing ("none" leads) stays cold.
    expect(decisionHeat({ kind: 'cell' }, { none: 0.9, conv3x3: 0.06, skip: 0.04 })).toBeCloseTo(0.06);
    expect(decisionHeat({ kind: 'param' }, { a: 1.4 })).toBe(1);
  });

  it("names an id-less optional edge by its index and the canvas's edge_<index>, an edge with an id by the id", () => {
    expect(decisionTargets(decisions[2], doc)).toEqual({ nodes: [], edges: ['1', 'edge_1'] });
    expect(decisionTargets({ ...decisions[2], edge: '0' }, doc)).toEqual({ nodes: [], edges: ['e0'] });
    expect(decisionTargets({ ...decisions[2], edge: 'e0' }, doc)).toEqual({ nodes: [], edges: ['e0'] });
    expect(decisionTargets(decisions[2])).toEqual({ nodes: [], edges: ['1', 'edge_1'] });
    expect(decisionTargets(decisions[0], doc)).toEqual({ nodes: ['stem'], edges: [] });
  });

  it('maps probabilities to node and edge heat, the larger value where decisions share a node', () => {
    const heat = probabilityHeat(
      decisions,
      {
        'stem.kernelSize': { '3': 0.6, '5': 0.4 },
        'stem.filters': { '8': 0.2, '16': 0.8 },
        skip: { false: 0.25, true: 0.75 },
        'cell.0-1': { none: 0.2, conv3x3: 0.5, skip: 0.3 },
        unknown: { a: 1 },
      },
      doc,
    );
    expect(heat.nodeHeat).toEqual({ stem: 0.8, cell: 0.5 });
    expect(heat.edgeHeat).toEqual({ '1': 0.75, edge_1: 0.75 });
  });

  it('heats the parts a shape-check failure blames', () => {
    expect(blameHeat(decisions, ['stem.kernelSize', 'block'], doc)).toEqual({ nodeHeat: { stem: 1, block: 1 }, edgeHeat: {} });
  });

  it('marks the blamed decision values on their nodes and edges', () => {
    const failures = [
      { sample: { 'stem.kernelSize': 5, 'stem.filters': 8, skip: true }, decisions: ['stem.kernelSize', 'skip'] },
      { sample: { 'stem.kernelSize': 5, 'stem.filters': 16, skip: true }, decisions: ['stem.kernelSize'] },
      { sample: { 'cell.0-1': 'none' }, decisions: ['cell.0-1', 'gone'] },
    ];
    expect(failureMarks(decisions, failures, doc)).toEqual({
      nodes: { stem: 'stem.kernelSize=5', cell: 'cell.0-1=none' },
      edges: { '1': 'skip=true', edge_1: 'skip=true' },
    });
    const many = [3, 5, 7, 9].map((k) => ({ sample: { 'stem.kernelSize': k }, decisions: ['stem.kernelSize'] }));
    expect(failureMarks(decisions, many).nodes.stem).toBe('stem.kernelSize=3, stem.kernelSize=5, stem.kernelSize=7, …');
  });

  it('lists bars per decision in the space order, most likely option first', () => {
    const bars = probabilityBars({ zeta: { x: 1 }, skip: { false: 0.2, true: 0.8 }, 'stem.kernelSize': { '3': 0.4, '5': 0.6 } }, decisions);
    expect(bars.map((b) => b.decision)).toEqual(['stem.kernelSize', 'skip', 'zeta']);
    expect(bars[0]).toEqual({
      decision: 'stem.kernelSize',
      leading: '5',
      options: [
        { option: '5', p: 0.6 },
        { option: '3', p: 0.4 },
      ],
    });
  });
});
