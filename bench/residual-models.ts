/**
 * The bench's residual/BatchNorm networks, as Layerloom documents (bench/torch_reference.py
 * builds the same layers in PyTorch):
 *  - ResNet-20-style: 3×3 conv16 + BN + ReLU stem, 3 stages × 3 basic blocks at 16/32/64
 *    channels (conv-BN-ReLU-conv-BN, residual Add, ReLU; the first block of stages 2 and 3
 *    strides by 2 and projects the skip with a 1×1 conv), global average pool, Dense 10.
 *    3×3 convs carry no bias; 273,658 parameters on 32×32×3.
 *  - NAS-Bench-201 skeleton (nas/space/nb201-skeleton.ts) with a mixed cell: every edge op of
 *    the benchmark but `none` appears.
 */
import type { LoomDocument, LoomDocumentInput } from '../engine/graph/schema.js';
import { nb201SkeletonSpace, nb201SkeletonDoc } from '../nas/space/nb201-skeleton.js';

type Node = LoomDocumentInput['nodes'][number];
type Edge = LoomDocumentInput['edges'][number];

/** The ResNet-20-style document on `inputShape` (default 32×32×3) with `classes` outputs. */
export function resnet20Doc(inputShape: number[] = [32, 32, 3], classes = 10): LoomDocumentInput {
  const nodes: Node[] = [];
  const edges: Edge[] = [];
  const add = (id: string, kind: string, params: Record<string, unknown>, from: string[]) => {
    nodes.push({ id, kind, params });
    for (const f of from) edges.push({ source: f, target: id });
    return id;
  };
  const conv = (id: string, filters: number, kernelSize: number, strides: number, from: string) =>
    add(id, 'Conv2D', { filters, kernelSize, strides, padding: 'same', useBias: false }, [from]);
  const bn = (id: string, from: string) => add(id, 'BatchNorm', { momentum: 0.9 }, [from]);
  const relu = (id: string, from: string) => add(id, 'Activation', { fn: 'relu' }, [from]);

  let x = add('x', 'Input', { shape: inputShape }, []);
  x = relu('stem_relu', bn('stem_bn', conv('stem', 16, 3, 1, x)));
  [16, 32, 64].forEach((filters, s) => {
    for (let k = 0; k < 3; k++) {
      const p = `s${s + 1}b${k + 1}`;
      const stride = s > 0 && k === 0 ? 2 : 1;
      const a = relu(`${p}_relu_a`, bn(`${p}_bn_a`, conv(`${p}_conv_a`, filters, 3, stride, x)));
      const b = bn(`${p}_bn_b`, conv(`${p}_conv_b`, filters, 3, 1, a));
      const skip = stride === 1 ? x : conv(`${p}_proj`, filters, 1, stride, x);
      x = relu(`${p}_relu`, add(`${p}_add`, 'Add', {}, [b, skip]));
    }
  });
  add('gap', 'GlobalAvgPool', {}, [x]);
  add('logits', 'Dense', { units: classes, activation: 'softmax' }, ['gap']);
  add('y', 'Output', { loss: 'sparseCategoricalCrossentropy' }, ['logits']);
  return { version: 1, name: 'bench-resnet20', nodes, edges };
}

/** The mixed NB201 cell of the bench (PyTorch's reference builds the same). */
export const NB201_MIXED_CELL = {
  '0->1': 'nor_conv_3x3',
  '0->2': 'nor_conv_1x1',
  '1->2': 'skip_connect',
  '0->3': 'avg_pool_3x3',
  '1->3': 'nor_conv_3x3',
  '2->3': 'nor_conv_1x1',
} as const;

/** The NB201 skeleton (2 stages × 1 cell, 16 channels) with {@link NB201_MIXED_CELL} in every Cell. */
export function nb201MixedDoc(inputShape: number[] = [32, 32, 3], classes = 10): LoomDocument {
  const skeleton = nb201SkeletonDoc({ inputShape, classes });
  const space = nb201SkeletonSpace(JSON.stringify(skeleton));
  return space.materialize({ ...NB201_MIXED_CELL });
}
