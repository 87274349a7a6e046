import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { OnnxBuilder } from '../../onnx/builder.js';
import { Rng } from '../../util/rng.js';
import { clipGradients, globalNorm } from '../clip.js';
import { regularizationLoss } from '../losses.js';
import { emitClipping, emitGlobalNorm } from './clip.js';
import { emitRegularization } from './regularizers.js';
import { expectClose, run, session, uniform } from './ort-test-util.testkit.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const SHAPES = [[4, 3], [3], [2, 2, 2]];
const size = (s: number[]) => s.reduce((a, d) => a * d, 1);

describe('emitClipping matches engine/train/clip.ts', () => {
  const rng = new Rng(3);
  const grads = SHAPES.map((s) => uniform(rng, size(s), -2, 2));
  const cases: { clipNorm?: number; clipValue?: number }[] = [{}, { clipValue: 0.5 }, { clipNorm: 1 }, { clipNorm: 100 }, { clipValue: 1.2, clipNorm: 2 }];
  for (const opts of cases) {
    it(JSON.stringify(opts), async () => {
      const b = new OnnxBuilder(17, 'training');
      const names = SHAPES.map((s, i) => b.addInput(`g${i}`, s).name);
      const clipped = emitClipping(b, names, opts);
      if (opts.clipNorm === undefined && opts.clipValue === undefined) expect(clipped).toEqual(names);
      const norm = emitGlobalNorm(b, names);
      // Identity so an unclipped gradient (the input itself) can be an output.
      const outs = clipped.map((c, i) => b.node('Identity', [c], {}, [`out${i}`])[0]);
      outs.forEach((o, i) => b.addRawOutput(o, SHAPES[i]));
      b.addRawOutput(norm, []);
      const got = await run(await session(b), Object.fromEntries(grads.map((g, i) => [`g${i}`, { data: g, dims: SHAPES[i] }])));

      const map = Object.fromEntries(grads.map((g, i) => [`g${i}`, tf.tensor(g, SHAPES[i])]));
      expectClose(got[norm], [globalNorm(tf, map)], 'global norm');
      const want = clipGradients(tf, map, opts);
      outs.forEach((o, i) => expectClose(got[o], want[`g${i}`].dataSync(), `${o} ${JSON.stringify(opts)}`));
      tf.dispose(Object.values(want));
      if (want !== map) tf.dispose(Object.values(map));
    });
  }
});

describe('emitRegularization matches tf.js layer regularizers (losses.ts regularizationLoss)', () => {
  const terms = [
    { l1: 0.01, l2: 0 },
    { l1: 0, l2: 0.02 },
    { l1: 0.003, l2: 0.005 },
  ];
  for (const { l1, l2 } of terms) {
    it(`l1 ${l1}, l2 ${l2}`, async () => {
      const rng = new Rng(5);
      const model = tf.sequential({
        layers: [tf.layers.dense({ units: 3, inputShape: [4], kernelRegularizer: tf.regularizers.l1l2({ l1, l2 }) })],
      });
      const kernel = model.layers[0].getWeights()[0];
      // An exact zero checks tf.js's |w| gradient convention (−l1 at 0).
      const w = Float32Array.from(kernel.dataSync(), (v, i) => (i === 2 ? 0 : v));
      model.layers[0].setWeights([tf.tensor(w, [4, 3]), model.layers[0].getWeights()[1]]);
      const dataGrad = uniform(rng, 12, -1, 1);
      const kernelVar = model.trainableWeights[0].read() as tf.Variable;
      // The tf.js objective: a data term whose kernel gradient is `dataGrad`, plus the penalty.
      const { grads } = tf.variableGrads(
        () => tf.add(tf.sum(tf.mul(kernelVar, tf.tensor(dataGrad, [4, 3]))), regularizationLoss(tf, model)!) as tf.Scalar,
        [kernelVar],
      );
      const penalty = regularizationLoss(tf, model)!.dataSync()[0];

      const b = new OnnxBuilder(17, 'training');
      b.addInput('w', [4, 3]);
      b.addInput('g', [4, 3]);
      const reg = emitRegularization(b, [{ weight: 'w', grad: 'g', l1, l2 }]);
      b.addRawOutput(reg.penalty, []);
      b.addRawOutput(reg.grads[0], [4, 3]);
      const got = await run(await session(b), { w: { data: w, dims: [4, 3] }, g: { data: dataGrad, dims: [4, 3] } });
      expectClose(got[reg.penalty], [penalty], 'penalty');
      expectClose(got[reg.grads[0]], grads[kernelVar.name].dataSync(), 'gradient');
      model.dispose();
    });
  }

  it('sums several weights and leaves gradients of unregularized entries alone', async () => {
    const b = new OnnxBuilder(17, 'training');
    b.addInput('w1', [2]);
    b.addInput('w2', [2]);
    b.addInput('g', [2]);
    const reg = emitRegularization(b, [
      { weight: 'w1', grad: 'g', l1: 0.5, l2: 0 },
      { weight: 'w2', grad: 'g', l1: 0, l2: 0 },
      { weight: 'w2', grad: 'g', l1: 0, l2: 0.25 },
    ]);
    expect(reg.grads[1]).toBe('g');
    b.addRawOutput(reg.penalty, []);
    b.addRawOutput(reg.grads[0], [2]);
    b.addRawOutput(reg.grads[2], [2]);
    const got = await run(await session(b), {
      w1: { data: Float32Array.of(2, -1), dims: [2] },
      w2: { data: Float32Array.of(1, 2), dims: [2] },
      g: { data: Float32Array.of(1, 1), dims: [2] },
    });
    expect(got[reg.penalty][0]).toBeCloseTo(0.5 * 3 + 0.25 * 5, 6);
    expect(Array.from(got[reg.grads[0]])).toEqual([1.5, 0.5]);
    expect(Array.from(got[reg.grads[2]])).toEqual([1.5, 2]);
  });
});
