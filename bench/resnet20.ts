/**
 * The ResNet-20-style network of the training-speed issue as a Layerloom document: a 3×3
 * stem, 3 stages × 3 basic blocks (16/32/64 channels; 3×3 convs without bias, BatchNorm,
 * ReLU, residual Add; a strided 1×1 projection (no BatchNorm) where a stage changes width), global average
 * pool, Dense. 273,658 parameters and ~82 MFLOPs per 32×32×3 sample with 10 classes.
 */
import type { LoomDocumentInput } from '../engine/graph/schema.js';

type Node = { id: string; kind: string; params: Record<string, unknown> };

/** Builds the document; `blocks` per stage (3 = ResNet-20). */
export function resnet20Doc(opts: { inputShape?: number[]; classes?: number; blocks?: number } = {}): LoomDocumentInput {
  const { inputShape = [32, 32, 3], classes = 10, blocks = 3 } = opts;
  const nodes: Node[] = [];
  const edges: { source: string; target: string }[] = [];
  const add = (n: Node, ...from: string[]): string => {
    nodes.push(n);
    for (const f of from) edges.push({ source: f, target: n.id });
    return n.id;
  };
  const conv = (id: string, filters: number, kernelSize: number, strides: number, from: string) =>
    add({ id, kind: 'Conv2D', params: { filters, kernelSize, strides, padding: 'same', useBias: false } }, from);
  const bn = (id: string, from: string) => add({ id, kind: 'BatchNorm', params: { momentum: 0.9 } }, from);
  const relu = (id: string, from: string) => add({ id, kind: 'Activation', params: { fn: 'relu' } }, from);

  let x = add({ id: 'x', kind: 'Input', params: { shape: inputShape } });
  x = relu('stem_relu', bn('stem_bn', conv('stem', 16, 3, 1, x)));
  let width = 16;
  [16, 32, 64].forEach((filters, stage) => {
    for (let b = 0; b < blocks; b++) {
      const p = `s${stage + 1}b${b + 1}`;
      const stride = stage > 0 && b === 0 ? 2 : 1;
      const a = relu(`${p}_relu_a`, bn(`${p}_bn_a`, conv(`${p}_conv_a`, filters, 3, stride, x)));
      const main = bn(`${p}_bn_b`, conv(`${p}_conv_b`, filters, 3, 1, a));
      const skip = filters !== width ? conv(`${p}_proj`, filters, 1, stride, x) : x;
      x = relu(`${p}_relu`, add({ id: `${p}_add`, kind: 'Add', params: {} }, main, skip));
      width = filters;
    }
  });
  x = add({ id: 'gap', kind: 'GlobalAvgPool', params: {} }, x);
  x = add({ id: 'logits', kind: 'Dense', params: { units: classes, activation: 'softmax' } }, x);
  add({ id: 'y', kind: 'Output', params: { loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] } }, x);
  return { version: 1, name: 'resnet20', nodes, edges };
}
