import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { OnnxBuilder } from '../../onnx/builder.js';
import { attr } from '../../onnx/values.js';
import { Rng } from '../../util/rng.js';
import { computeLoss, type LossName } from '../losses.js';
import { emitLoss } from './loss.js';
import { expectClose, run, session, uniform, type Feed } from './ort-test-util.testkit.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** How the loss sees the output: probabilities fed directly, Softmax/Sigmoid(z) fused, or logits. */
type Mode = 'probs' | 'fused' | 'logits';

interface Case {
  loss: LossName;
  mode: Mode;
  /** The values fed as `x`: the output itself (probs/logits/regression) or z (fused). */
  x: Float32Array;
  shape: number[];
  target: Feed;
  classes?: number;
  /** Builder opset (default 17, the trainer's). */
  opset?: number;
}

const isCat = (l: LossName) => l === 'categoricalCrossentropy' || l === 'sparseCategoricalCrossentropy';

/** Runs the emitted loss in onnxruntime and the tf.js loss (with tf.js gradients); compares. */
async function check(c: Case) {
  const b = new OnnxBuilder(c.opset ?? 17, 'training');
  b.addInput('x', c.shape);
  let output = 'x';
  if (c.mode === 'fused') output = b.node(isCat(c.loss) ? 'Softmax' : 'Sigmoid', ['x'], isCat(c.loss) ? { axis: attr.i(-1) } : {})[0];
  b.addInput('y', c.target.dims, c.target.data instanceof Int32Array ? 'int32' : 'float32');
  b.addInput('batch_size', [], 'float32');
  const e = emitLoss(b, {
    output,
    preActivation: c.mode === 'fused' ? 'x' : undefined,
    target: 'y',
    loss: c.loss,
    fromLogits: c.mode === 'logits',
    classes: c.classes,
    batchSize: 'batch_size',
  });
  expect([...e.seeds.keys()]).toEqual([c.mode === 'fused' ? 'x' : output]);
  const seed = e.seeds.get(c.mode === 'fused' ? 'x' : output)!;
  b.addRawOutput(e.loss, []);
  b.addRawOutput(seed, c.shape);
  if (e.correct) b.addRawOutput(e.correct, []);
  if (e.sums) for (const s of Object.values(e.sums)) b.addRawOutput(s, []);
  const s = await session(b);
  const got = await run(s, { x: { data: c.x, dims: c.shape }, y: c.target, batch_size: { data: Float32Array.of(c.shape[0]), dims: [] } });

  const x = tf.tensor(c.x, c.shape);
  const y = tf.tensor(c.target.data, c.target.dims, c.target.data instanceof Int32Array ? 'int32' : 'float32');
  const act = (t: tf.Tensor) => (c.mode !== 'fused' ? t : isCat(c.loss) ? tf.softmax(t) : tf.sigmoid(t));
  const { value, grad } = tf.valueAndGrad((t: tf.Tensor) => computeLoss(tf, c.loss, y, act(t), c.mode === 'logits'))(x);
  const what = `${c.loss}/${c.mode}`;
  expectClose(got[e.loss], value.dataSync(), `${what} loss`);
  expectClose(got[seed], grad.dataSync(), `${what} gradient`);

  // Metric sums as EpochStats computes them from the output.
  const out = act(x).dataSync();
  const t = c.target.data;
  if (isCat(c.loss)) {
    const C = c.shape.at(-1)!;
    let hit = 0;
    for (let r = 0; r < out.length / C; r++) {
      const argmax = (a: ArrayLike<number>) => {
        let k = 0;
        for (let j = 1; j < C; j++) if (a[r * C + j] > a[r * C + k]) k = j;
        return k;
      };
      if (argmax(out) === (c.loss === 'sparseCategoricalCrossentropy' ? t[r] : argmax(t))) hit++;
    }
    expect(got[e.correct!][0]).toBe(hit);
  } else if (c.loss === 'binaryCrossentropy') {
    let hit = 0;
    out.forEach((v, i) => (hit += (v > (c.mode === 'logits' ? 0 : 0.5) ? 1 : 0) === t[i] ? 1 : 0));
    expect(got[e.correct!][0]).toBe(hit);
  } else {
    let sse = 0;
    let sae = 0;
    out.forEach((v, i) => ((sse += (v - t[i]) ** 2), (sae += Math.abs(v - t[i]))));
    expectClose(got[e.sums!.sse], [sse], 'sse');
    expectClose(got[e.sums!.sae], [sae], 'sae');
    expect(got[e.sums!.count][0]).toBe(out.length);
  }
  tf.dispose([x, y, value, grad]);
}

const rng = new Rng(7);
const N = 6;
const C = 5;
const ids = Int32Array.from({ length: N }, () => rng.int(C));
const oneHot = (v: Int32Array, k: number) => Float32Array.from({ length: v.length * k }, (_, i) => (v[Math.floor(i / k)] === i % k ? 1 : 0));
/** Rows of softmax(z), scaled by ~1 ± 2% so the renormalisation matters. */
const probs = (z: Float32Array, k: number) => {
  const p = tf.tidy(() => tf.softmax(tf.tensor(z, [z.length / k, k])).dataSync());
  return Float32Array.from(p, (v, i) => v * (1 + 0.02 * Math.sin(Math.floor(i / k))));
};
const sigmoid = (z: Float32Array) => Float32Array.from(z, (v) => 1 / (1 + Math.exp(-v)));
const zc = uniform(rng, N * C, -3, 3);
const zb = uniform(rng, N * 3, -4, 4);
const bits = Float32Array.from({ length: N * 3 }, () => rng.int(2));

describe('emitLoss matches tf.js (loss value and gradient)', () => {
  for (const mode of ['probs', 'fused', 'logits'] as Mode[]) {
    const x = mode === 'probs' ? probs(zc, C) : zc;
    it(`sparse categorical cross-entropy, ${mode}`, () =>
      check({ loss: 'sparseCategoricalCrossentropy', mode, x, shape: [N, C], target: { data: ids, dims: [N] }, classes: C }));
    it(`categorical cross-entropy, ${mode}`, () =>
      check({ loss: 'categoricalCrossentropy', mode, x, shape: [N, C], target: { data: oneHot(ids, C), dims: [N, C] } }));
    it(`binary cross-entropy, ${mode}`, () =>
      check({ loss: 'binaryCrossentropy', mode, x: mode === 'probs' ? sigmoid(zb) : zb, shape: [N, 3], target: { data: bits, dims: [N, 3] } }));
  }
  it('binary cross-entropy with one unit and [N] targets', () =>
    check({ loss: 'binaryCrossentropy', mode: 'fused', x: zb.slice(0, N), shape: [N, 1], target: { data: bits.slice(0, N), dims: [N] } }));

  it('sparse categorical over a sequence [N, T, C], classes from the runtime shape', () => {
    const z = uniform(rng, 2 * 4 * C, -2, 2);
    const t = Int32Array.from({ length: 8 }, () => rng.int(C));
    return check({ loss: 'sparseCategoricalCrossentropy', mode: 'fused', x: z, shape: [2, 4, C], target: { data: t, dims: [2, 4] } });
  });

  for (const opset of [13, 21]) {
    it(`valid at opset ${opset} (axes as inputs, no opset-18 reduction changes needed)`, async () => {
      await check({ loss: 'sparseCategoricalCrossentropy', mode: 'probs', x: probs(zc, C), shape: [N, C], target: { data: ids, dims: [N] }, opset });
      await check({ loss: 'binaryCrossentropy', mode: 'logits', x: zb, shape: [N, 3], target: { data: bits, dims: [N, 3] }, opset });
      await check({ loss: 'huber', mode: 'probs', x: zb, shape: [N, 3], target: { data: bits, dims: [N, 3] }, opset });
    });
  }

  const pred = uniform(rng, N * 2, -2, 2);
  const truth = Float32Array.from(pred, (v, i) => (i === 3 ? v : v + (i % 3 === 0 ? 1.7 : -0.4) * Math.cos(i)));
  for (const loss of ['meanSquaredError', 'meanAbsoluteError', 'huber'] as LossName[]) {
    // Element 3 has a zero residual: tf.js's |x| gradient there is −1 (MAE), 0 for Huber.
    it(`${loss} (residuals beyond ±1 and an exact zero)`, () => check({ loss, mode: 'probs', x: pred, shape: [N, 2], target: { data: truth, dims: [N, 2] } }));
  }
});

describe('clipped probabilities get tf.js gradients (zero through the clip)', () => {
  it('softmax saturated against the target: fused gradient zero like tf.js', () => {
    const z = Float32Array.from([40, 0, 0, 0, 0, 1, 2, 3, 4, 5, 0, 0, 0, 0, 40]);
    // Row 0: target class 1 has p ≈ e^−40 < EPS; row 2: target 4 has p > 1 − EPS.
    return check({
      loss: 'sparseCategoricalCrossentropy',
      mode: 'fused',
      x: z,
      shape: [3, C],
      target: { data: Int32Array.of(1, 2, 4), dims: [3] },
      classes: C,
    });
  });
  it('a probability of exactly 0 on the target class', () => {
    const p = Float32Array.from([0, 0.5, 0.5, 0.2, 0.3, 0.5]);
    return check({
      loss: 'categoricalCrossentropy',
      mode: 'probs',
      x: p,
      shape: [2, 3],
      target: { data: Float32Array.from([1, 0, 0, 0, 0, 1]), dims: [2, 3] },
    });
  });
  it('sigmoid saturated at both ends', () =>
    check({
      loss: 'binaryCrossentropy',
      mode: 'fused',
      x: Float32Array.from([30, -30, 30, -30, 0.3, -1]),
      shape: [6, 1],
      target: { data: Float32Array.from([0, 1, 1, 0, 1, 0]), dims: [6, 1] },
    }));
  it('binary probabilities at 0 and 1', () =>
    check({
      loss: 'binaryCrossentropy',
      mode: 'probs',
      x: Float32Array.from([0, 1, 1, 0, 0.3, 0.9]),
      shape: [6, 1],
      target: { data: Float32Array.from([0, 1, 0, 1, 1, 0]), dims: [6, 1] },
    }));
  it('large logits stay finite and exact (log1p form)', () =>
    check({
      loss: 'binaryCrossentropy',
      mode: 'logits',
      x: Float32Array.from([30, -30, 20, -25, 0, 17]),
      shape: [6, 1],
      target: { data: Float32Array.from([1, 0, 1, 0, 1, 1]), dims: [6, 1] },
    }));
});
