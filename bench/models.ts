/**
 * The benchmark's two models, each twice: as a Layerloom graph document (compiled by the
 * engine) and written by hand in tf.js with the same layers, sizes and initialisers.
 */
import type * as tfNs from '@tensorflow/tfjs';
import type { LoomDocumentInput } from '../engine/graph/schema.js';
import type { Tf } from '../engine/layers/types.js';

const chain = (name: string, nodes: { id: string; kind: string; params: Record<string, unknown> }[]): LoomDocumentInput => ({
  version: 1,
  name,
  nodes,
  edges: nodes.slice(1).map((n, i) => ({ source: nodes[i].id, target: n.id })),
});

/** conv3x3x32-relu-pool-conv3x3x64-relu-pool-dense128-relu-dense10 on 28×28×1 (FACTS.md's CNN). */
export const cnnDoc = chain('bench-cnn', [
  { id: 'x', kind: 'Input', params: { shape: [28, 28, 1] } },
  { id: 'c1', kind: 'Conv2D', params: { filters: 32, kernelSize: 3, activation: 'relu' } },
  { id: 'p1', kind: 'MaxPool2D', params: { poolSize: 2 } },
  { id: 'c2', kind: 'Conv2D', params: { filters: 64, kernelSize: 3, activation: 'relu' } },
  { id: 'p2', kind: 'MaxPool2D', params: { poolSize: 2 } },
  { id: 'f', kind: 'Flatten', params: {} },
  { id: 'd1', kind: 'Dense', params: { units: 128, activation: 'relu' } },
  { id: 'd2', kind: 'Dense', params: { units: 10, activation: 'softmax' } },
  { id: 'y', kind: 'Output', params: { loss: 'sparseCategoricalCrossentropy' } },
]);

/** MLP 784-256-128-10. */
export const mlpDoc = chain('bench-mlp', [
  { id: 'x', kind: 'Input', params: { shape: [784] } },
  { id: 'd1', kind: 'Dense', params: { units: 256, activation: 'relu' } },
  { id: 'd2', kind: 'Dense', params: { units: 128, activation: 'relu' } },
  { id: 'd3', kind: 'Dense', params: { units: 10, activation: 'softmax' } },
  { id: 'y', kind: 'Output', params: { loss: 'sparseCategoricalCrossentropy' } },
]);

/** The CNN written directly against tf.layers. */
export function handCnn(tf: Tf): tfNs.Sequential {
  const m = tf.sequential();
  m.add(tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3, activation: 'relu' }));
  m.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  m.add(tf.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }));
  m.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  m.add(tf.layers.flatten());
  m.add(tf.layers.dense({ units: 128, activation: 'relu' }));
  m.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  return m;
}

/** The MLP written directly against tf.layers. */
export function handMlp(tf: Tf): tfNs.Sequential {
  const m = tf.sequential();
  m.add(tf.layers.dense({ inputShape: [784], units: 256, activation: 'relu' }));
  m.add(tf.layers.dense({ units: 128, activation: 'relu' }));
  m.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  return m;
}
