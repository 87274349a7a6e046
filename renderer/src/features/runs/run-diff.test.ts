import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../../../engine/graph/load.js';
import { diffGraphs, diffSettings, sameGraph } from './run-diff.js';

const lenet = () => parseDocument(JSON.parse(fs.readFileSync(new URL('../../../../examples/lenet-mnist.loom.json', import.meta.url), 'utf8')));

describe('diffSettings', () => {
  it('lists only the settings that differ, by dotted path, with each run’s value', () => {
    const a = { dataset: 'digits', epochs: 2, optimizer: { name: 'adam', learningRate: 0.001 }, metrics: ['accuracy'] };
    const b = { dataset: 'digits', epochs: 3, optimizer: { name: 'adam', learningRate: 0.01 }, metrics: ['accuracy'] };
    const c = { dataset: 'digits', epochs: 2, optimizer: { name: 'sgd', learningRate: 0.001 }, metrics: ['accuracy'], seed: 7 };
    expect(diffSettings([a, b, c])).toEqual([
      { key: 'epochs', values: ['2', '3', '2'] },
      { key: 'optimizer.name', values: ['adam', 'adam', 'sgd'] },
      { key: 'optimizer.learningRate', values: ['0.001', '0.01', '0.001'] },
      { key: 'seed', values: ['—', '—', '7'] },
    ]);
    expect(diffSettings([a, structuredClone(a)])).toEqual([]);
  });
});

describe('diffGraphs', () => {
  it('finds added, removed and changed nodes and edges, ignoring positions', () => {
    const base = lenet();
    expect(sameGraph(diffGraphs(base, { ...base, nodes: base.nodes.map((n) => ({ ...n, position: { x: 0, y: 0 } })) }))).toBe(true);
    const other = structuredClone(base);
    other.nodes.find((n) => n.id === 'conv2')!.params.filters = 16;
    other.nodes = other.nodes.filter((n) => n.id !== 'pool2');
    other.nodes.push({ id: 'drop', kind: 'Dropout', params: { rate: 0.5 }, position: { x: 0, y: 0 } });
    other.edges = other.edges.filter((e) => e.source !== 'pool2' && e.target !== 'pool2');
    other.edges.push(
      { source: 'conv2', sourcePort: 'out', target: 'drop', targetPort: 'in' },
      { source: 'drop', sourcePort: 'out', target: 'flatten', targetPort: 'in' },
    );
    const d = diffGraphs(base, other);
    expect(d.added).toEqual(['drop (Dropout)']);
    expect(d.removed).toEqual(['pool2 (MaxPool2D)']);
    expect(d.paramChanged).toEqual([{ id: 'conv2', param: 'filters', from: '64', to: '16' }]);
    expect(d.edgesAdded).toEqual(['conv2 → drop', 'drop → flatten']);
    expect(d.edgesRemoved).toEqual(['conv2 → pool2', 'pool2 → flatten']);
    expect(sameGraph(d)).toBe(false);
  });
});
