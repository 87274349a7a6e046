/**
 * The fused BatchNorm backward (a gradient region, grads/norm.ts) against the generic rules
 * of the forward pieces it replaces, on the same graph: 4-D and 2-D, dynamic batch; and the
 * region is skipped (generic rules, still correct) when an inner value reaches the loss by
 * another path.
 */
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { OnnxBuilder } from '../../onnx/builder.js';
import { emitBatchNormTraining } from '../../onnx/ops-norm.js';
import { attr } from '../../onnx/values.js';
import { Rng } from '../../util/rng.js';
import { emitBackward } from './autodiff.js';
import { inferIrShapes } from './shapes.js';
import { expectClose, uniform } from './ort-test-util.testkit.js';

async function bnGrads(dims: number[], fused: boolean, leak: boolean) {
  const c = dims[1];
  const b = new OnnxBuilder(17, 'training');
  const x = b.addInput('x', [null, ...dims.slice(1)]);
  b.addInput('gamma', [c]);
  b.addInput('beta', [c]);
  b.addInput('r', [null, ...dims.slice(1)]);
  const w = (v: number) => ({ data: new Float32Array(c).fill(v), shape: [c] });
  const mean = b.state('mean', w(0), 2);
  const variance = b.state('var', w(1), 3);
  const y = emitBatchNormTraining(b, x, { gamma: 'gamma', beta: 'beta', mean, variance, c, epsilon: 1e-3, momentum: 0.9, name: 'bn' });
  if (!fused) b.gradRegions.length = 0;
  // loss = Σ y·r (+ Σ (x − μ)² when `leak`: an inner value of the region reaching the loss).
  let [loss] = b.node('ReduceSum', [b.node('Mul', [y.name, 'r'])[0]], { keepdims: attr.i(0) });
  if (leak) {
    const d = b.irNodes.find((n) => n.op === 'Sub')!.outputs[0];
    const [sq] = b.node('ReduceSum', [b.node('Mul', [d, d])[0]], { keepdims: attr.i(0) });
    [loss] = b.node('Add', [loss, sq]);
  }
  const forwardNodes = b.irNodes.length;
  const shapes = inferIrShapes(b.irNodes, new Map(b.inputs.map((d) => [d.name, d.shape])), b.constants);
  const grads = emitBackward(b, { loss, seeds: new Map(), wrt: ['x', 'gamma', 'beta'], shapes });
  const backwardOps = b.irNodes.slice(forwardNodes).map((n) => n.op);
  for (const k of ['x', 'gamma', 'beta']) b.addRawOutput(grads.get(k)!, k === 'x' ? [null, ...dims.slice(1)] : [c]);
  const sess = await ort.InferenceSession.create(b.toBytes({ opset: 17, producerVersion: 't', metadata: {}, graphName: 'g' }));
  const rng = new Rng(7);
  const n = dims.reduce((a, d) => a * d, 1);
  const feeds = {
    x: new ort.Tensor('float32', uniform(rng, n, -2, 3), dims),
    r: new ort.Tensor('float32', uniform(rng, n, -1, 1), dims),
    gamma: new ort.Tensor('float32', uniform(rng, c, 0.5, 1.5), [c]),
    beta: new ort.Tensor('float32', uniform(rng, c, -1, 1), [c]),
    [mean]: new ort.Tensor('float32', new Float32Array(c), [c]),
    [variance]: new ort.Tensor('float32', new Float32Array(c).fill(1), [c]),
  };
  const out = await sess.run(feeds);
  const values = Object.fromEntries(['x', 'gamma', 'beta'].map((k) => [k, Float32Array.from(out[grads.get(k)!].data as Float32Array)]));
  return { values, backwardOps };
}

describe('BatchNorm training gradient region', () => {
  for (const dims of [
    [4, 3, 5, 6],
    [16, 5],
  ]) {
    it(`equals the generic rules on [${dims}] with fewer backward ops`, async () => {
      const fused = await bnGrads(dims, true, false);
      const generic = await bnGrads(dims, false, false);
      for (const k of ['x', 'gamma', 'beta']) expectClose(fused.values[k], generic.values[k], `d${k}`, 2e-5);
      expect(fused.backwardOps).not.toContain('ReduceMean');
      expect(fused.backwardOps.length).toBeLessThan(generic.backwardOps.length);
    });
  }
  it('is skipped when an inner value also reaches the loss, and the gradients stay right', async () => {
    const skipped = await bnGrads([4, 3, 5, 6], true, true);
    const generic = await bnGrads([4, 3, 5, 6], false, true);
    for (const k of ['x', 'gamma', 'beta']) expectClose(skipped.values[k], generic.values[k], `d${k}`, 1e-6);
    expect(skipped.backwardOps).toEqual(generic.backwardOps);
  });
});
