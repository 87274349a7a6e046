import * as tf from '@tensorflow/tfjs';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileGraph } from '../../engine/compile/compile.js';
import { loadGraphFromText } from '../../engine/graph/load.js';
import type { LoomDocumentInput } from '../../engine/graph/schema.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const load = (doc: LoomDocumentInput) => loadGraphFromText(JSON.stringify(doc));
const tinyMlp = fs.readFileSync(path.join(import.meta.dirname, '../fixtures/valid/tiny-mlp.loom.json'), 'utf8');

describe('compileGraph', () => {
  it('names layers after node ids and matches inferred shapes', () => {
    const { model, inputIds, outputs, shapes } = compileGraph(tf, loadGraphFromText(tinyMlp));
    expect(model.layers.map((l) => l.name)).toEqual(['x', 'hidden', 'logits']);
    expect(inputIds).toEqual(['x']);
    expect(outputs).toEqual([{ nodeId: 'y', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'], fromLogits: false }]);
    const y = model.predict(tf.zeros([3, 64])) as tf.Tensor;
    expect(y.shape).toEqual([3, 10]);
    expect([null, ...y.shape.slice(1)]).toEqual(shapes.get('y')![0]);
    y.dispose();
    model.dispose();
  });

  it('initialises weights reproducibly from the seed', () => {
    const g = loadGraphFromText(tinyMlp);
    const w = (seed: number) => {
      const m = compileGraph(tf, g, { seed }).model;
      const v = Array.from(m.getLayer('hidden').getWeights()[0].dataSync());
      m.dispose();
      return v;
    };
    expect(w(1)).toEqual(w(1));
    expect(w(1)).not.toEqual(w(2));
  });

  it('compiles several inputs and outputs with a merge', () => {
    const g = load({
      version: 1,
      nodes: [
        { id: 'a', kind: 'Input', params: { shape: [3] } },
        { id: 'b', kind: 'Input', params: { shape: [3] } },
        { id: 'da', kind: 'Dense', params: { units: 4 } },
        { id: 'db', kind: 'Dense', params: { units: 4 } },
        { id: 'sum', kind: 'Add', params: {} },
        { id: 'head1', kind: 'Dense', params: { units: 2, activation: 'softmax' } },
        { id: 'head2', kind: 'Dense', params: { units: 1 } },
        { id: 'o1', kind: 'Output', params: {} },
        { id: 'o2', kind: 'Output', params: { loss: 'meanSquaredError', metrics: ['mae'] } },
      ],
      edges: [
        { source: 'a', target: 'da' },
        { source: 'b', target: 'db' },
        { source: 'da', target: 'sum' },
        { source: 'db', target: 'sum' },
        { source: 'sum', target: 'head1' },
        { source: 'sum', target: 'head2' },
        { source: 'head1', target: 'o1' },
        { source: 'head2', target: 'o2' },
      ],
    });
    const { model, inputIds, outputs } = compileGraph(tf, g);
    expect(inputIds).toEqual(['a', 'b']);
    expect(outputs.map((o) => o.nodeId)).toEqual(['o1', 'o2']);
    const ys = model.predict([tf.ones([2, 3]), tf.ones([2, 3])]) as tf.Tensor[];
    expect(ys.map((t) => t.shape)).toEqual([
      [2, 2],
      [2, 1],
    ]);
    tf.dispose(ys);
    model.dispose();
  });
});
